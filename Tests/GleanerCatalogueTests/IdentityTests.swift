import GleanerCatalogue
import Testing

@Suite("Identity across documents (pure)")
struct IdentityTests {
    func index(_ names: [(String, String, String)], aliases: String = "") throws -> (MemoryIdentityIndex, [Int64]) {
        var index = MemoryIdentityIndex()
        let resolver = IdentityResolver(aliases: AliasTable(parsing: aliases))
        var ids: [Int64] = []
        for (name, type, doc) in names { ids.append(try index.add(name: name, type: type, document: doc, resolver: resolver)) }
        return (index, ids)
    }

    @Test("Name forms ignore case, diacritics and punctuation; initials are middle one-letter words")
    func forms() {
        #expect(NameForm("José  Martí").key == NameForm("jose marti").key)
        #expect(NameForm("Donald J. Trump").key == "donald j trump")
        #expect(NameForm("Donald J. Trump").base == "donald trump")
        #expect(NameForm("Donald J. Trump").initials == "j")
        #expect(NameForm("George H. W. Bush").initials == "h w")
        #expect(NameForm("O’Brien").key == "obrien")
        #expect(NameForm("Trump").fullWords == 1)
    }

    @Test("The same full name in two documents is one entity; a middle initial joins the name without it")
    func fullNames() throws {
        let (_, ids) = try index([
            ("Donald Trump", "PERSON", "a"), ("Donald J. Trump", "PERSON", "b"), ("DONALD TRUMP", "PERSON", "c"),
        ])
        #expect(Set(ids).count == 1)
    }

    @Test("Different initials are different people, and a bare name joins neither when both exist")
    func initials() throws {
        let (_, ids) = try index([
            ("George W. Bush", "PERSON", "a"), ("George H. W. Bush", "PERSON", "b"), ("George Bush", "PERSON", "c"),
        ])
        #expect(Set(ids).count == 3)
        // In the other order: the bare name first takes the first initialled one, not the second.
        let (_, ids2) = try index([
            ("George Bush", "PERSON", "a"), ("George W. Bush", "PERSON", "b"), ("George H. W. Bush", "PERSON", "c"),
        ])
        #expect(ids2[0] == ids2[1])
        #expect(ids2[2] != ids2[0])
    }

    @Test("A bare surname never merges across documents by itself, nor two people sharing a surname")
    func surnames() throws {
        let (_, ids) = try index([
            ("Trump", "PERSON", "a"), ("Trump", "PERSON", "b"), ("Donald Trump", "PERSON", "c"), ("Eric Trump", "PERSON", "d"),
            ("Trump", "PERSON", "a"),
        ])
        #expect(ids[0] != ids[1])
        #expect(ids[0] != ids[2] && ids[1] != ids[2])
        #expect(ids[2] != ids[3])
        #expect(ids[4] == ids[0], "within one document the same one-word name is one entity")
    }

    @Test("Organisations and places merge by exact name, one word included; types stay apart")
    func others() throws {
        let (_, ids) = try index([
            ("NATO", "ORGANIZATION", "a"), ("Nato", "ORGANIZATION", "b"), ("Moscow", "LOCATION", "a"), ("Moscow", "LOCATION", "c"),
            ("Moscow", "ORGANIZATION", "d"),
        ])
        #expect(ids[0] == ids[1])
        #expect(ids[2] == ids[3])
        #expect(ids[4] != ids[2])
    }

    @Test("The alias file merges exonyms and one-word names; split keeps a name apart")
    func aliases() throws {
        let file = """
            # exonyms
            Poutine\tVladimir Putin\tPERSON
            Путин\tVladimir Putin
            split\tGeorge Bush
            not a valid line
            """
        let table = AliasTable(parsing: file)
        #expect(table.problems.count == 1)
        let (_, ids) = try index([
            ("Vladimir Putin", "PERSON", "a"), ("Poutine", "PERSON", "b"), ("Путин", "PERSON", "c"), ("Vladimir Poutine", "PERSON", "d"),
        ], aliases: file)
        #expect(ids[0] == ids[1] && ids[1] == ids[2])
        #expect(ids[3] != ids[0], "only the alias lines given merge")
        let (_, split) = try index([("George W. Bush", "PERSON", "a"), ("George Bush", "PERSON", "b")], aliases: file)
        #expect(split[0] != split[1])
    }
}
