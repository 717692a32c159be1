/// Words written with a period that belongs to them. Kept small and
/// multilingual; dotted acronyms (U.S., e.g., a.m.) are recognised by shape.
enum Abbreviations {
    /// Titles and the like: a sentence never ends after them.
    static let titles: Set<String> = [
        "mr", "mrs", "ms", "dr", "prof", "st", "mt", "gen", "gov", "sen", "rep", "col", "lt", "capt", "sgt", "adm",
        "cmdr", "rev", "hon", "pres", "supt", "messrs", "mme", "mlle", "mmes", "mgr", "me", "hr", "fr", "sr", "jr",
        "sra", "srta", "dott", "ing", "gen", "brig", "maj", "cpl", "pvt", "insp", "det", "ald", "amb", "atty",
    ]
    /// Abbreviations after which a sentence may end.
    static let others: Set<String> = [
        "etc", "inc", "ltd", "co", "corp", "bros", "vs", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
        "sept", "oct", "nov", "dec", "approx", "dept", "est", "fig", "vol", "vols", "ed", "eds", "pp", "cf", "al",
        "av", "ave", "blvd", "rd", "ca", "no", "nos", "art", "ch", "chap", "min", "max", "tel", "ref", "resp",
        "bzw", "usw", "ggf", "vgl", "evtl", "nr", "sog", "cca", "itd", "tj", "sv", "tzv",
    ]
    /// Abbreviations that only count before a number ("No. 1", "p. 5", "art. 3").
    static let beforeNumbers: Set<String> = ["no", "nos", "nr", "art", "p", "pp", "ch", "vol", "fig"]
}
