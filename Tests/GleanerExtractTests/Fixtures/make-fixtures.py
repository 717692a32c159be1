#!/usr/bin/env python3
"""Makes the extraction test corpus from the openly licensed texts in source/.

Run from this folder: python3 make-fixtures.py   (needs LibreOffice: apt-get install libreoffice-writer-nogui)
The outputs are committed; tests and CI never need LibreOffice.

Each text (title line, blank line, paragraphs) becomes a flat OpenDocument file
(.fodt) with a running header and a page-number footer, which LibreOffice
converts to PDF, DOCX, ODT and EPUB. E-mail fixtures are made with Python's
email package (multipart/alternative, quoted-printable, base64, RFC 2047).
"""
import email.policy
import mailbox
import os
import subprocess
import sys
from email.message import EmailMessage
from xml.sax.saxutils import escape

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "source")
BUILD = os.path.join(HERE, "build-tmp")


def read(name):
    with open(os.path.join(SRC, name), encoding="utf-8") as f:
        text = f.read().strip()
    title, _, body = text.partition("\n\n")
    return title, [p.strip() for p in body.split("\n\n") if p.strip()]


def fodt(title, paragraphs, columns=1, header="Wikinews (CC BY 2.5)", author="Wikinews contributors", notes=(), table=None):
    header_footer = "" if header is None else (f'<style:header><text:p>{escape(header)}</text:p></style:header>'
        '<style:footer><text:p>Page <text:page-number text:select-page="current">1</text:page-number></text:p></style:footer>')
    cols = f'<style:columns fo:column-count="{columns}" fo:column-gap="0.8cm"/>' if columns > 1 else ""
    body = [f'<text:h text:style-name="Heading_20_1" text:outline-level="1">{escape(title)}</text:h>']
    for i, p in enumerate(paragraphs):
        note = ""
        if i < len(notes):
            note = (f'<text:note text:id="n{i}" text:note-class="footnote"><text:note-citation>{i+1}</text:note-citation>'
                    f'<text:note-body><text:p text:style-name="Footnote">{escape(notes[i])}</text:p></text:note-body></text:note>')
        body.append(f'<text:p text:style-name="Text_20_body">{escape(p)}{note}</text:p>')
    if table:
        rows = "".join("<table:table-row>" + "".join(
            f'<table:table-cell office:value-type="string"><text:p>{escape(c)}</text:p></table:table-cell>' for c in row)
            + "</table:table-row>" for row in table)
        body.append(f'<table:table table:name="T1"><table:table-column table:number-columns-repeated="{len(table[0])}"/>{rows}</table:table>')
    return f'''<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
 <office:meta><dc:title>{escape(title)}</dc:title><meta:initial-creator>{escape(author)}</meta:initial-creator>
  <dc:creator>{escape(author)}</dc:creator><meta:creation-date>2012-11-20T10:00:00</meta:creation-date></office:meta>
 <office:styles>
  <style:style style:name="Standard" style:family="paragraph"><style:text-properties fo:font-size="11pt" fo:language="fr"/></style:style>
  <style:style style:name="Text_20_body" style:display-name="Text body" style:family="paragraph" style:parent-style-name="Standard">
   <style:paragraph-properties fo:margin-bottom="0.25cm" fo:text-align="justify"/></style:style>
  <style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph" style:parent-style-name="Standard">
   <style:text-properties fo:font-size="16pt" fo:font-weight="bold"/></style:style>
 </office:styles>
 <office:automatic-styles>
  <style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm"
   fo:margin-top="1.5cm" fo:margin-bottom="1.5cm" fo:margin-left="2cm" fo:margin-right="2cm">{cols}</style:page-layout-properties>
   <style:header-style><style:header-footer-properties fo:min-height="0.6cm" fo:margin-bottom="0.4cm"/></style:header-style>
   <style:footer-style><style:header-footer-properties fo:min-height="0.6cm" fo:margin-top="0.4cm"/></style:footer-style>
  </style:page-layout>
 </office:automatic-styles>
 <office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm1">
  {header_footer}
 </style:master-page></office:master-styles>
 <office:body><office:text>{"".join(body)}</office:text></office:body>
</office:document>
'''


def convert(fodt_path, fmt, out_name):
    subprocess.run(["libreoffice", "--headless", "--convert-to", fmt, "--outdir", BUILD, fodt_path], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    produced = os.path.join(BUILD, os.path.splitext(os.path.basename(fodt_path))[0] + "." + fmt.split(":")[0])
    os.replace(produced, os.path.join(HERE, out_name))


def write_fodt(name, **kw):
    path = os.path.join(BUILD, name + ".fodt")
    with open(path, "w", encoding="utf-8") as f:
        f.write(fodt(**kw))
    return path


def main():
    os.makedirs(BUILD, exist_ok=True)
    t1, p1 = read("fr-45037.txt")
    t2, p2 = read("fr-44374.txt")
    t3, p3 = read("fr-45364.txt")
    t4, p4 = read("es-test-100.txt")

    # Single column, several pages (a header and a page-number footer on each).
    path = write_fodt("fr-45037", title=t1, paragraphs=p1)
    convert(path, "pdf", "fr-45037.pdf")
    # Two columns, over two pages.
    path = write_fodt("fr-45037-2col", title=t1, paragraphs=p1, columns=2)
    convert(path, "pdf", "fr-45037-2col.pdf")
    # One page, no running header.
    path = write_fodt("fr-44374", title=t2, paragraphs=p2, header=None)
    convert(path, "pdf", "fr-44374.pdf")
    # Word, with footnotes and a table.
    path = write_fodt("fr-45364", title=t3, paragraphs=p3, notes=["Source : Wikinews."],
                      table=[["Lieu", "Date"], ["Paris", "2012"]])
    convert(path, "docx:MS Word 2007 XML", "fr-45364.docx")
    convert(path, "odt", "fr-45364.odt")
    # Encrypted: the PDF opens only with its password ("secret").
    convert(path, 'pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},'
                  '"DocumentOpenPassword":{"type":"string","value":"secret"}}', "encrypted.pdf")
    # Spanish (CC BY 4.0 corpus) as ODT and DOCX.
    path = write_fodt("es-test-100", title=t4, paragraphs=p4, header="El Tiempo", author="El Tiempo")
    convert(path, "odt", "es-test-100.odt")
    convert(path, "docx:MS Word 2007 XML", "es-test-100.docx")
    convert(path, "epub", "es-test-100.epub")
    # Ten pages of text for the benchmark: the French texts one after another.
    long_paragraphs = []
    for name in sorted(os.listdir(SRC)):
        if name.startswith("fr-"):
            t, ps = read(name)
            long_paragraphs += [t] + ps
    path = write_fodt("ten-pages", title="Wikinews", paragraphs=long_paragraphs * 4)
    convert(path, "pdf", "ten-pages.pdf")

    # E-mail: a text part and an HTML part, a PDF attached.
    msg = EmailMessage(policy=email.policy.SMTP)
    msg["From"] = "Rédaction Wikinews <redaction@example.org>"
    msg["To"] = "lecteur@example.org"
    msg["Subject"] = t1
    msg["Date"] = "Tue, 20 Nov 2012 10:15:00 +0100"
    msg["Message-ID"] = "<fixture-1@example.org>"
    body = t1 + "\n\n" + "\n\n".join(p1) + "\n"
    msg.set_content(body, cte="quoted-printable")
    html = "<html><body><h1>" + escape(t1) + "</h1>" + "".join(f"<p>{escape(p)}</p>" for p in p1) + "</body></html>"
    msg.add_alternative(html, subtype="html")
    with open(os.path.join(HERE, "fr-45037.pdf"), "rb") as f:
        msg.add_attachment(f.read(), maintype="application", subtype="pdf", filename="communiqué.pdf")
    with open(os.path.join(HERE, "fr-45037.eml"), "wb") as f:
        f.write(msg.as_bytes())

    # HTML only, Latin-1, base64.
    msg = EmailMessage(policy=email.policy.SMTP)
    msg["From"] = "El Tiempo <noticias@example.com>"
    msg["Subject"] = t4
    msg["Date"] = "Mon, 01 Mar 2021 08:00:00 -0500"
    html = "<html><body><h1>" + escape(t4) + "</h1>" + "".join(f"<p>{escape(p)}</p>" for p in p4) + "</body></html>"
    msg.set_content(html.encode("latin-1", "xmlcharrefreplace"), maintype="text", subtype="html", cte="base64")
    msg.replace_header("Content-Type", 'text/html; charset="iso-8859-1"')
    with open(os.path.join(HERE, "es-test-100.eml"), "wb") as f:
        f.write(msg.as_bytes())

    # A mailbox of three messages.
    box_path = os.path.join(HERE, "three.mbox")
    if os.path.exists(box_path):
        os.remove(box_path)
    box = mailbox.mbox(box_path)
    for t, ps in [(t1, p1), (t2, p2), (t3, p3)]:
        m = EmailMessage(policy=email.policy.SMTP)
        m["From"] = "wikinews@example.org"
        m["Subject"] = t
        m["Date"] = "Wed, 21 Nov 2012 09:00:00 +0000"
        m.set_content(t + "\n\n" + "\n\n".join(ps) + "\n")
        box.add(m)
    box.flush()
    box.close()
    print("fixtures written to", HERE)


if __name__ == "__main__":
    sys.exit(main())
