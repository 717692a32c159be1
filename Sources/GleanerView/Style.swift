import GleanerCore

/// How each entity type is drawn: a CSS class (never built from the type's text) and labels.
enum EntityStyle {
    static let known: [EntityType] = [.person, .organization, .location, .misc, .date, .time, .money, .percent, .quantity]

    static func cssClass(_ t: EntityType) -> String {
        switch t.rawValue.uppercased() {
        case "PERSON", "PER": "e-per"
        case "ORGANIZATION", "ORGANISATION", "ORG": "e-org"
        case "LOCATION", "LOC", "GPE": "e-loc"
        case "MISC": "e-misc"
        case "DATE", "TIME": "e-date"
        case "MONEY", "PERCENT", "QUANTITY": "e-num"
        default: "e-other"
        }
    }

    static func label(_ t: EntityType) -> String {
        switch t {
        case .person: "person"
        case .organization: "organisation"
        case .location: "place"
        case .misc: "other name"
        case .date: "date"
        case .time: "time"
        case .money: "money"
        case .percent: "percentage"
        case .quantity: "quantity"
        default: HTMLText.oneLine(t.rawValue, limit: 40).lowercased()
        }
    }

    static func short(_ t: EntityType) -> String {
        switch t {
        case .person: "PER"
        case .organization: "ORG"
        case .location: "LOC"
        case .percent: "PCT"
        case .quantity: "QTY"
        default: String(HTMLText.oneLine(t.rawValue, limit: 6).uppercased().prefix(7))
        }
    }
}

/// English names of the languages people are most likely to meet; other codes show as codes.
enum LanguageNames {
    static func name(_ code: String) -> String? { table[code.lowercased()] }

    static let table: [String: String] = [
        "af": "Afrikaans", "ar": "Arabic", "bg": "Bulgarian", "bn": "Bengali", "ca": "Catalan", "cs": "Czech",
        "cy": "Welsh", "da": "Danish", "de": "German", "el": "Greek", "en": "English", "eo": "Esperanto",
        "es": "Spanish", "et": "Estonian", "eu": "Basque", "fa": "Persian", "fi": "Finnish", "fr": "French",
        "ga": "Irish", "gl": "Galician", "he": "Hebrew", "hi": "Hindi", "hr": "Croatian", "hu": "Hungarian",
        "id": "Indonesian", "is": "Icelandic", "it": "Italian", "ja": "Japanese", "ko": "Korean", "la": "Latin",
        "lt": "Lithuanian", "lv": "Latvian", "mt": "Maltese", "nl": "Dutch", "no": "Norwegian", "nb": "Norwegian Bokmål",
        "pl": "Polish", "pt": "Portuguese", "ro": "Romanian", "ru": "Russian", "sk": "Slovak", "sl": "Slovenian",
        "sq": "Albanian", "sr": "Serbian", "sv": "Swedish", "sw": "Swahili", "ta": "Tamil", "th": "Thai",
        "tr": "Turkish", "uk": "Ukrainian", "ur": "Urdu", "vi": "Vietnamese", "zh": "Chinese",
    ]
}

/// The page's style sheet: system fonts only, readable on a phone, WCAG AA contrast.
enum Style {
    static let sans = "system-ui,-apple-system,\"Segoe UI\",Roboto,\"Noto Sans\",\"DejaVu Sans\",sans-serif"

    static let base = """
        :root{--bg:#f5f4f0;--card:#fff;--ink:#1c1917;--muted:#57534e;--line:#e2dfda;--accent:#9a3412;--link:#1d4ed8}
        *{box-sizing:border-box}
        html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
        body{margin:0;background:var(--bg);color:var(--ink);font:16px/1.5 \(sans)}
        a{color:var(--link)}
        a:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
        .muted{color:var(--muted)}
        .small{font-size:.85em}
        .sr{position:absolute;width:1px;height:1px;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
        code,.code{font-family:ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:.9em}
        .top{background:#1c1917;color:#fafaf9;padding:1.25rem clamp(1rem,4vw,3rem) 1.1rem}
        .top h1{margin:.1rem 0 .5rem;font-size:clamp(1.3rem,3.2vw,1.9rem);line-height:1.25;overflow-wrap:anywhere}
        .kicker{margin:0;font-size:.78rem;letter-spacing:.08em;text-transform:uppercase;color:#d6d3d1}
        .facts{margin:0;display:flex;flex-wrap:wrap;gap:.4rem}
        .fact{display:inline-block;background:#292524;border:1px solid #44403c;border-radius:1rem;padding:.1rem .7rem;font-size:.88rem}
        .top .muted{color:#d6d3d1}
        .top .code{color:#fde68a}
        footer{padding:1rem clamp(1rem,4vw,3rem) 2rem;color:var(--muted);font-size:.85rem;text-align:center}
        .card{background:var(--card);border:1px solid var(--line);border-radius:.6rem;padding:.9rem 1.1rem;margin:0 0 1rem;font-size:.94rem;line-height:1.45}
        .card h2{margin:0 0 .6rem;font-size:.78rem;letter-spacing:.08em;text-transform:uppercase;color:var(--muted)}
        .card h3{margin:.9rem 0 .3rem;font-size:.85rem}
        .count{display:inline-block;min-width:1.7em;padding:0 .45em;border-radius:1em;background:#f0eeea;color:#44403c;font-size:.8em;font-weight:600;text-align:center}
        table{border-collapse:collapse;width:100%}
        th,td{text-align:left;padding:.3rem .4rem;border-bottom:1px solid var(--line);vertical-align:top}
        thead th{font-size:.78rem;text-transform:uppercase;letter-spacing:.05em;color:var(--muted)}
        .notice{background:#fef2f2;border:1px solid #fca5a5;color:#7f1d1d;border-radius:.6rem;padding:.2rem 1rem;margin:0 0 1rem;font-size:.94rem}
        .notice a{color:#7f1d1d}
        .break{overflow-wrap:anywhere}
        """

    static let page = base + pageRules + dark

    static let pageRules = """
        .layout{display:grid;grid-template-columns:minmax(0,46rem) minmax(17rem,23rem);justify-content:center;gap:2.5rem;max-width:82rem;margin:0 auto;padding:1.5rem clamp(1rem,4vw,3rem)}
        .jump{display:none;color:#fde68a;text-decoration:none}
        @media (max-width:56rem){.layout{grid-template-columns:minmax(0,1fr);gap:1rem}.jump{display:inline-block}}
        .text-col{min-width:0}
        .wrap{max-width:71.5rem;margin:0 auto}
        .doc{max-width:44rem;font:1.08rem/1.7 Charter,"Bitstream Charter","Iowan Old Style",Georgia,"DejaVu Serif",serif;overflow-wrap:break-word}
        .doc p{margin:0 0 1em;white-space:pre-line}
        .legend{display:flex;flex-wrap:wrap;gap:.45rem .9rem;list-style:none;margin:0 0 1.4rem;padding:.6rem .8rem;background:var(--card);border:1px solid var(--line);border-radius:.6rem;font-size:.85rem;max-width:44rem}
        .legend li{display:flex;align-items:center;gap:.3rem}
        .ent{border-radius:.2em;padding:0 .12em;border-bottom:2px solid;-webkit-box-decoration-break:clone;box-decoration-break:clone}
        .e-per{background:#dbeafe;border-color:#1d4ed8}
        .e-org{background:#ede9fe;border-color:#6d28d9}
        .e-loc{background:#dcfce7;border-color:#15803d}
        .e-misc{background:#fce7f3;border-color:#be185d}
        .e-date{background:#e2e8f0;border-color:#475569}
        .e-num{background:#ccfbf1;border-color:#0f766e}
        .e-other{background:#f5f5f4;border-color:#78716c}
        .quote{background:#fef3c7;-webkit-box-decoration-break:clone;box-decoration-break:clone;padding:.08em 0}
        .quote-partial{background:#fef9e3}
        .quote:target,.term:target,.turn-text:target{outline:2px solid var(--accent);outline-offset:2px}
        .spk{display:inline-block;margin:0 .25em;padding:0 .55em;border-radius:1em;background:var(--accent);color:#fff;font:600 .72rem/1.6 \(sans);vertical-align:.12em;text-decoration:none;white-space:nowrap;max-width:16em;overflow:hidden;text-overflow:ellipsis}
        .spk.unresolved{background:#fff;color:var(--accent);border:1px solid var(--accent);font-style:italic}
        .spk.none{background:#e7e5e4;color:#44403c}
        .spk:hover{text-decoration:underline}
        .speaker-ref{font-weight:700}
        .cue{text-decoration:underline;text-decoration-color:#a8a29e;text-underline-offset:.2em}
        .term{border-bottom:1px dotted #78716c}
        .foreign{border:1px dashed #0e7490;border-radius:.3em;padding:0 .15em;-webkit-box-decoration-break:clone;box-decoration-break:clone}
        .lang-tag{display:inline-block;margin-right:.3em;padding:.05em .35em;border-radius:.3em;background:#0e7490;color:#fff;font:700 .66rem/1.4 \(sans);text-transform:uppercase;vertical-align:.15em}
        .turn{margin:0 0 1.1em;padding:.15em 0 .15em 1rem;border-left:4px solid var(--accent)}
        .turn p{margin:0}
        .turn .who{margin:0 0 .15em;font:700 .74rem/1.4 \(sans);letter-spacing:.06em;text-transform:uppercase;color:var(--accent)}
        .turn.question{border-left-color:#78716c;font-family:\(sans);font-weight:600;font-size:.95em;color:#292524}
        .turn.question .who{color:var(--muted)}
        .turn-chip{display:inline-block;padding:0 .5em;border-left:4px solid var(--accent)}
        a.plain{color:inherit;text-decoration:none}
        .speakers{list-style:none;margin:0;padding:0}
        .speakers>li{padding:.55rem 0;border-top:1px solid var(--line)}
        .speakers>li:first-child{border-top:0;padding-top:0}
        .speakers .name{margin:0;font-weight:700}
        .speakers li:target .name{color:var(--accent)}
        .quotes{margin:.25rem 0 0;padding-left:1.1rem;font-size:.92em}
        .quotes li{margin:.2rem 0}
        .quotes a{color:#292524;text-decoration-color:#a8a29e}
        .turns{margin:.3rem 0 0;font-size:.92em}
        .turns summary{font-weight:400;color:var(--muted)}
        .kind{font-size:.78em;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
        .terms{margin:0;font-size:.92em}
        .entities{list-style:none;margin:0;padding:0}
        .entities li{padding:.3rem 0;border-top:1px solid var(--line)}
        .entities li:first-child{border-top:0}
        .entities .name{font-weight:600}
        .tag{display:inline-block;min-width:2.8em;text-align:center;font-size:.7rem;font-weight:700;letter-spacing:.04em;padding:0 .3em}
        .forms{font-size:.85em;color:var(--muted)}
        .alts caption{text-align:left;font-size:.8rem;color:var(--muted);padding:.3rem 0}
        .alts th{font-weight:400}
        .barcell{width:40%}
        .bar{display:block;height:.6rem;margin-top:.4rem;border-radius:.3rem;background:#0e7490;min-width:2px}
        .segments{margin:0;padding-left:1.1rem}
        .runs td:nth-child(2){white-space:nowrap;font-variant-numeric:tabular-nums}
        .outcome{display:inline-block;padding:0 .5em;border-radius:1em;font-size:.8em;font-weight:700}
        .outcome.ok{background:#dcfce7;color:#14532d}
        .outcome.failed{background:#fee2e2;color:#7f1d1d}
        .outcome.skipped{background:#e7e5e4;color:#44403c}
        tr.error td{color:#7f1d1d;font-size:.85em;overflow-wrap:anywhere}
        tfoot th,tfoot td{border-bottom:0;font-weight:700}
        .page-mark{margin:1.4rem 0 .6rem;border-top:1px dashed #cbd5e1;text-align:center;line-height:0}
        .page-mark span{background:#fff;color:var(--muted);font-size:.8rem;padding:0 .6rem}
        .mail{border:1px solid #e2e8f0;border-radius:.6rem;padding:.6rem 1rem;margin:0 0 1rem;font-size:.94rem}
        .byline{margin:.2rem 0 .4rem;opacity:.85}
        .meta{display:grid;grid-template-columns:auto minmax(0,1fr);gap:.2rem .8rem;margin:0}
        .meta dt{color:var(--muted)}
        .meta dd{margin:0}
        details{margin:.3rem 0}
        summary{cursor:pointer;font-weight:600}
        pre{white-space:pre-wrap;overflow-wrap:anywhere;font-size:.8rem;background:#f5f5f4;padding:.5rem;border-radius:.4rem;max-height:24rem;overflow:auto}
        @media print{body{background:#fff}.top{background:#fff;color:#000}.fact{background:#fff;color:#000}.layout{display:block}}
        """

    /// Dark colours for readers who ask for them (most phones at night).
    static let dark = """
        @media (prefers-color-scheme:dark){
        :root{--bg:#1c1917;--card:#292524;--ink:#f5f5f4;--muted:#b8b2ad;--line:#44403c;--accent:#fdba74;--link:#93c5fd;color-scheme:dark}
        .top{background:#0c0a09}
        .count{background:#44403c;color:#e7e5e4}
        .notice{background:#450a0a;border-color:#991b1b;color:#fecaca}.notice a{color:#fecaca}
        .e-per{background:#1e3a8a88;border-color:#60a5fa}.e-org{background:#4c1d9588;border-color:#a78bfa}
        .e-loc{background:#14532d88;border-color:#4ade80}.e-misc{background:#83184388;border-color:#f472b6}
        .e-date{background:#33415588;border-color:#94a3b8}.e-num{background:#134e4a88;border-color:#2dd4bf}.e-other{background:#44403c;border-color:#a8a29e}
        .quote{background:#78350f80}.quote-partial{background:#78350f50}
        .spk{background:#c2410c;color:#fff}.spk.unresolved{background:transparent;color:#fdba74;border-color:#fdba74}.spk.none{background:#44403c;color:#e7e5e4}
        .foreign{border-color:#22d3ee}
        .turn.question{color:#e7e5e4;border-left-color:#a8a29e}
        .quotes a{color:#e7e5e4}
        .outcome.ok{background:#14532d;color:#dcfce7}.outcome.failed{background:#7f1d1d;color:#fee2e2}.outcome.skipped{background:#44403c;color:#e7e5e4}
        tr.error td,.warn,.failed td:nth-child(2){color:#fca5a5}
        pre{background:#1c1917}
        }
        """
}
