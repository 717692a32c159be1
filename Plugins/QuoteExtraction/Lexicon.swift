/// Word lists of the quote processor, kept in source so the target needs no
/// resource bundle. Every entry is looked up by the hash of its lowercase form.
enum Lexicon {
    /// How a reporting word behaves.
    struct Cue: Sendable {
        /// A weak cue ("call", "describe") only attributes with an explicit subject before it.
        var weak: Bool = false
        /// An auxiliary ("a" in "a-t-il déclaré") that needs a participle after it.
        var auxiliary: Bool = false
    }

    private static func english(_ base: String, _ extra: [String] = []) -> [String] {
        // Regular inflections; irregular forms come in `extra`.
        var forms = [base]
        if base.hasSuffix("e") {
            forms += [base + "s", base + "d", String(base.dropLast()) + "ing"]
        } else if base.hasSuffix("y"), let l = base.dropLast().last, !"aeiou".contains(l) {
            let stem = String(base.dropLast())
            forms += [stem + "ies", stem + "ied", base + "ing"]
        } else if base.hasSuffix("s") || base.hasSuffix("sh") || base.hasSuffix("ch") || base.hasSuffix("x") {
            forms += [base + "es", base + "ed", base + "ing"]
        } else {
            forms += [base + "s", base + "ed", base + "ing"]
        }
        return forms + extra
    }

    private static func frenchER(_ inf: String, _ extra: [String] = []) -> [String] {
        let stem = String(inf.dropLast(2))
        return [inf, stem + "e", stem + "es", stem + "ent", stem + "é", stem + "ée", stem + "és", stem + "ées", stem + "ait",
                stem + "aient", stem + "era"] + extra
    }

    static let strongCues: [String] = {
        var w: [String] = []
        w += english("say", ["said", "says", "saying"])
        w += english("tell", ["told", "tells", "telling"])
        w += english("add", ["added", "adds", "adding"])
        for b in ["explain", "declare", "underline", "insist", "warn", "estimate", "affirm", "claim", "note", "continue",
                  "reply", "respond", "argue", "state", "recall", "conclude", "acknowledge", "announce", "assert",
                  "suggest", "stress", "emphasize", "emphasise", "predict", "promise", "pledge", "urge", "remark",
                  "observe", "complain", "joke", "quip", "recount", "repeat", "confirm", "deny", "reiterate", "shout",
                  "chant", "scream", "yell", "vow", "boast", "lament", "concede", "counter", "retort", "testify",
                  "whisper", "muse", "proclaim", "caution", "contend", "charge", "tweet", "post", "ask",
                  "answer", "report", "explain", "mention", "comment", "opine", "exclaim", "cry", "admit", "point",
                  "judge", "consider", "believe", "think", "summarize", "summarise", "wonder", "plead", "sigh",
                  "inform", "assure", "advise", "recommend", "demand", "question", "murmur", "mutter", "snap",
                  "rule", "concur", "agree", "disagree", "describe", "write", "reveal", "indicate", "specify",
                  "blast", "slam", "accuse", "criticize", "criticise", "praise", "thank", "greet", "hail", "surmise",
                  "fume", "rant", "gush", "tout", "scoff", "sneer", "thunder", "demur", "marvel", "bristle", "chide",
                  "condemn", "decry", "denounce", "declare", "reason", "interject", "intone", "relate", "recite",
                  "paraphrase", "propose", "guarantee", "hint", "grumble", "acknowledge",
                  "explain", "elaborate", "clarify", "retweet", "instruct", "beg", "implore",
                  "pray", "exhort", "holler", "bellow", "roar", "howl", "brag", "crow", "gloat", "confide", "confess", "divulge", "disclose", "notify", "remind",
                  "reassure", "stipulate", "conclude", "posit", "theorize", "speculate", "guess", "estimate",
                  "calculate", "forecast", "allege", "profess", "aver", "attest", "certify", "swear",
                  "pronounce", "proclaim", "trumpet", "boom", "gripe", "grouse", "rail", "lash", "fire back", "shrug",
                  "weigh", "chime", "pipe", "echo", "sum", "put", "counter", "beam", "react", "riff", "deadpan",
                  "interrupt", "chuckle"] {
            w += english(b)
        }
        w += ["admitted", "admitting", "wrote", "written", "writes", "writing", "thought", "spoke", "speaking",
              "quipped", "quipping", "snapped", "snapping", "pleaded", "pled", "read", "reads", "put", "puts", "says",
              "testified", "replied", "cried", "concurred", "ruled", "underscored", "underscores", "underscore",
              "swore", "sworn", "wrote:", "texted", "emailed", "e-mailed", "messaged", "posted",
              "retorted", "quipped", "fumed", "mused", "sniped", "huffed", "scoffed", "gushed", "raved", "opined",
              "vowed", "spat", "hissed", "barked", "chimed", "piped", "blurted", "griped", "groused", "lamented"]
        // French.
        w += ["dire", "dit", "dits", "dite", "dites", "disait", "disaient", "dira", "dis", "disent", "affirme"]
        for v in ["déclarer", "expliquer", "souligner", "affirmer", "ajouter", "estimer", "indiquer", "préciser",
                  "assurer", "confier", "lancer", "rappeler", "insister", "noter", "observer", "juger", "raconter",
                  "marteler", "regretter", "dénoncer", "exclamer", "ironiser", "commenter", "confirmer", "annoncer",
                  "tweeter", "demander", "résumer", "analyser", "considérer", "avancer", "glisser",
                  "souffler", "déplorer", "témoigner", "avouer", "jurer", "constater",
                  "interroger", "s'interroger", "expliciter", "clamer", "proclamer", "détailler", "prévoir",
                  "tonner", "fustiger", "critiquer", "saluer", "rétorquer", "répliquer", "objecter", "trancher",
                  "martèle", "poster", "publier", "écrire"] {
            w += frenchER(v)
        }
        w += ["martèle", "martèlent", "répond", "répondu", "répondent", "reconnaît", "reconnait", "reconnu", "reconnue",
              "poursuit", "poursuivi", "conclut", "conclu", "écrit", "écrivait", "admet", "admis", "prévient",
              "prévenu", "avertit", "averti", "soutient", "soutenu", "maintient", "promet", "promis", "insiste",
              "estime", "juge", "lance", "lâche", "assène", "sourit", "interroge", "s'interroge", "s'exclame",
              "s'inquiète", "s'indigne", "s'étonne", "précise", "ajoute", "explique", "souligne", "note", "déclare",
              "confie", "rappelle", "raconte", "tranche"]
        return w
    }()

    static let weakCues: [String] = {
        var w: [String] = []
        for b in ["call", "dub", "label", "term", "brand", "deem", "characterize", "characterise", "promise", "vow", "insist"] {
            w += english(b)
        }
        w += ["calling", "called", "calls", "dubbed", "labeled", "labelled", "termed", "branded", "refer", "refers", "referred", "referring", "dismissed", "dismisses", "dismissing", "qualifie", "qualifié", "qualifiait", "appelle", "appelé", "surnomme", "surnommé"]
        return w
    }()

    /// Auxiliaries before a participle cue ("a-t-il déclaré", "a déclaré", "has said").
    static let auxiliaries: Set<UInt64> = Set([
        "has", "have", "had", "was", "were", "is", "are", "will", "would", "could", "can", "did", "does", "do", "also",
        "been", "being", "may", "might", "should", "must", "shall", "then", "later", "once", "again", "a", "avait",
        "aura", "ont", "avaient", "est", "sont", "already", "not", "never", "just", "recently", "previously", "he's",
        "she's", "has also", "simply", "further", "first", "repeatedly", "publicly", "privately", "often", "always",
        "reportedly", "allegedly", "quickly", "finally", "earlier", "even", "still", "ultimately",
    ].map(lexHash))

    static let cues: [UInt64: Cue] = {
        var d: [UInt64: Cue] = [:]
        for w in weakCues { d[lexHash(w)] = Cue(weak: true) }
        for w in strongCues { d[lexHash(w)] = Cue() }
        // Ambiguous or too common to be cues on their own.
        for w in ["put", "puts", "read", "reads", "point", "points", "pointed", "pointing", "post", "posts", "state",
                  "states", "note", "notes", "rule", "ruled", "rules", "question", "questions", "charge", "charges",
                  "report", "reports", "answer", "counter", "judge", "lance", "a", "lancer", "glisser", "mettre",
                  "poster", "publier", "agree", "agreed", "agrees", "think", "thought", "believe", "believes", "believed",
                  "consider", "considers", "considered", "see", "saw", "view", "feel", "felt", "hope", "hoped", "thank",
                  "thanked", "greet", "greeted", "hail", "hailed", "praise", "praised", "criticize", "criticized",
                  "blast", "blasted", "slam", "slammed", "accuse", "accused", "accuses", "demand", "demanded",
                  "describe", "described", "describes", "describing", "reveal", "revealed", "indicate", "indicated",
                  "dis", "dites", "maintain", "maintains", "maintained", "maintaining", "thinks", "sees", "views", "feels", "hopes", "remind", "reminds", "reminded"] {
            // Downgrade only: a word not in the lists stays no cue at all.
            if d[lexHash(w)] != nil { d[lexHash(w)] = Cue(weak: true) }
        }
        d[lexHash("a")] = Cue(weak: true, auxiliary: true)
        return d
    }()

    /// Frequent irregular verb forms, which end a speaker phrase.
    static let verbForms: Set<UInt64> = Set([
        "began", "begins", "sought", "seeks", "went", "goes", "came", "comes", "took", "takes", "made", "makes", "gave",
        "gives", "got", "gets", "left", "found", "finds", "kept", "keeps", "held", "holds", "met", "meets", "ran", "runs",
        "saw", "sees", "sent", "sends", "spent", "stood", "brought", "brings", "thought", "thinks", "won", "wins",
        "lost", "became", "becomes", "set", "embodied", "wants", "wanted", "tried", "tries", "seemed", "seems",
        "appeared", "appears", "knew", "knows", "felt", "feels", "used", "uses", "needs", "needed", "helped",
    ].map(lexHash))

    /// Pronouns that can be a speaker, with gender (m, f, or nil for plural/unknown).
    static let pronouns: [UInt64: Character?] = {
        var d: [UInt64: Character?] = [:]
        for w in ["he", "him", "il", "lui"] { d[lexHash(w)] = "m" }
        for w in ["she", "her", "elle"] { d[lexHash(w)] = "f" }
        for w in ["they", "them", "ils", "elles", "eux", "i", "we", "je", "nous", "it"] { d[lexHash(w)] = .some(nil) }
        return d
    }()

    static let determiners: Set<UInt64> = Set([
        "the", "a", "an", "this", "that", "these", "those", "his", "her", "their", "its", "our", "le", "la", "les",
        "un", "une", "des", "ce", "cette", "ces", "son", "sa", "ses", "leur", "another", "one", "some", "many",
        "several", "two", "three", "both", "most", "all", "each", "other",
    ].map(lexHash))

    /// Words that end a speaker noun phrase when met.
    static let npStops: Set<UInt64> = Set([
        "and", "or", "but", "that", "which", "who", "whom", "whose", "when", "where", "while", "as", "if", "because",
        "in", "on", "at", "to", "from", "by", "with", "during", "after", "before", "about", "over", "into", "than",
        "last", "yesterday", "today", "tonight", "tomorrow", "this", "on", "monday", "tuesday", "wednesday",
        "thursday", "friday", "saturday", "sunday", "earlier", "later", "recently", "then", "also", "it", "there",
        "not", "is", "was", "are", "were", "has", "have", "had", "will", "would", "be", "been", "do", "does", "did",
        "can", "could", "should", "may", "might", "must", "so", "however", "though", "although", "et", "qui", "que",
        "dans", "sur", "lors", "selon", "mais", "ou", "en", "au", "aux", "ce", "cette", "jeudi", "lundi", "mardi",
        "mercredi", "vendredi", "samedi", "dimanche", "hier", "aujourd'hui", "via", "through", "under", "like",
        "said", "says", "told", "added", "its", "such", "what", "how", "why", "here", "now", "there", "again", "even",
        "just", "only", "very", "too", "since", "until", "against", "among", "without", "within", "upon", "per",
    ].map(lexHash))

    /// Adverbs that may sit between a speaker and the cue ("boldly declared").
    static func isAdverb(_ s: [Unicode.Scalar], _ t: QToken) -> Bool {
        if auxiliaries.contains(t.hash) { return !t.isCapitalized }
        guard t.kind == .word, !t.isCapitalized, t.end - t.start > 4 else { return false }
        return s[t.end - 1] == "y" && s[t.end - 2] == "l"
    }

    static let according: UInt64 = lexHash("according")
    static let to: UInt64 = lexHash("to")
    static let selon: UInt64 = lexHash("selon")
    static let forWord: UInt64 = lexHash("for")
    static let pour: UInt64 = lexHash("pour")
    static let of: UInt64 = lexHash("of")
    static let de: UInt64 = lexHash("de")
    static let the: UInt64 = lexHash("the")
    static let who: UInt64 = lexHash("who")
    static let it: UInt64 = lexHash("it")
    static let that: UInt64 = lexHash("that")
    static let que: UInt64 = lexHash("que")
    static let so: UInt64 = lexHash("so")

    /// Nouns of people who comment: an expert introduced as "analyst" is the one "the sinologist" means.
    static let expertNouns: Set<UInt64> = Set([
        "analyst", "sinologist", "expert", "researcher", "specialist", "scholar", "academic", "professor", "economist",
        "historian", "scientist", "political scientist", "observer", "fellow", "author", "director", "lecturer",
        "analyste", "sinologue", "expert", "chercheur", "chercheuse", "spécialiste", "universitaire", "professeur",
        "professeure", "économiste", "historien", "historienne", "politologue", "directeur", "directrice",
        "auteur", "autrice", "strategist", "pollster", "commentator", "consultant", "adviser", "advisor", "teacher",
        "politologist", "kremlinologist", "sovietologist", "geopolitologist", "géopolitologue", "diplomat",
    ].map(lexHash))

    /// Nouns of people who lead a country or an institution.
    static let leaderNouns: Set<UInt64> = Set([
        "president", "leader", "head", "chief", "premier", "chancellor", "king", "queen", "ruler", "strongman",
        "autocrat", "dictator", "counterpart", "number", "no.", "no", "1", "one", "boss", "emperor", "monarch",
        "sovereign", "président", "dirigeant", "chef", "numéro", "homme", "maître", "tsar", "czar", "helmsman",
        "host", "guest", "prime", "minister", "secretary", "general",
    ].map(lexHash))

    /// Titles written before names, not part of the canonical name.
    static let titles: Set<UInt64> = Set([
        "senator", "sen", "mayor", "president", "rep", "representative", "gov", "governor", "mr", "mrs", "ms", "dr",
        "prof", "professor", "judge", "justice", "gen", "general", "secretary", "minister", "chancellor", "pope",
        "sir", "lord", "lady", "king", "queen", "prince", "princess", "rev", "reverend", "father", "sister", "saint",
        "attorney", "chairman", "chairwoman", "speaker", "leader", "candidate", "nominee", "commissioner", "sheriff",
        "officer", "detective", "captain", "capt", "col", "lt", "sgt", "m", "mme", "monsieur", "madame", "président",
        "ministre", "former", "vice", "deputy", "chief", "ceo", "ambassador", "councilman", "councilwoman", "congressman",
        "congresswoman", "assemblyman", "director",
    ].map(lexHash))

    /// Demonyms and places, each to a country key, so "the Chinese No. 1", "the head of the Kremlin"
    /// and "Beijing's leader" point to a country.
    static let countries: [UInt64: Int] = {
        let groups: [[String]] = [
            ["chinese", "china", "beijing", "chinois", "chinoise", "chine", "pékin", "zhongnanhai", "prc"],
            ["russian", "russia", "moscow", "kremlin", "russe", "russie", "moscou"],
            ["american", "america", "u.s", "us", "washington", "white", "américain", "américaine", "usa"],
            ["french", "france", "paris", "élysée", "elysee", "français", "française"],
            ["ukrainian", "ukraine", "kyiv", "kiev", "ukrainien", "ukrainienne"],
            ["british", "britain", "uk", "u.k", "london", "britannique", "londres"],
            ["german", "germany", "berlin", "allemand", "allemande", "allemagne"],
            ["north", "korean", "pyongyang", "nord-coréen"],
            ["iranian", "iran", "tehran", "iranien", "téhéran"],
            ["turkish", "turkey", "ankara", "turc", "turque", "turquie"],
            ["indian", "india", "delhi", "indien", "inde"],
            ["japanese", "japan", "tokyo", "japonais", "japon"],
            ["israeli", "israel", "israélien", "israël"],
            ["hungarian", "hungary", "budapest", "hongrois", "hongrie"],
            ["serbian", "serbia", "belgrade", "serbe", "serbie"],
        ]
        var d: [UInt64: Int] = [:]
        for (i, g) in groups.enumerated() { for w in g { d[lexHash(w)] = i } }
        return d
    }()

    /// Name cues of origin: a name that looks Chinese or Russian is a likely referent of
    /// "the Chinese leader" when the document itself names no one with that title.
    /// These are name patterns (common surnames, first names, suffixes), not people.
    static let chineseSurnames: Set<UInt64> = Set([
        "xi", "li", "wang", "zhang", "liu", "chen", "yang", "huang", "zhao", "wu", "zhou", "xu", "sun", "ma", "zhu",
        "hu", "guo", "he", "lin", "gao", "luo", "zheng", "liang", "xie", "song", "tang", "han", "feng", "deng", "cao",
        "peng", "zeng", "xiao", "tian", "dong", "pan", "yuan", "cai", "jiang", "yu", "du", "ye", "cheng", "wei", "su",
        "lu", "ding", "ren", "shen", "yao", "qin", "mao", "wen", "qian", "dai", "fu", "zhong", "jin", "bo",
    ].map(lexHash))
    static let russianFirstNames: Set<UInt64> = Set([
        "vladimir", "dmitry", "dmitri", "sergei", "sergey", "alexei", "alexey", "mikhail", "boris", "nikolai",
        "ivan", "yevgeny", "evgeny", "andrei", "andrey", "igor", "oleg", "yuri", "viktor", "maria", "valentina",
        "anatoly", "gennady", "ramzan", "aleksandr", "alexander", "pavel", "nikita", "leonid", "vyacheslav",
    ].map(lexHash))

    /// Country key of a name by its look, if any.
    static func originCountry(first: UInt64, last: [Unicode.Scalar]) -> Int? {
        if chineseSurnames.contains(first) { return countries[lexHash("chinese")] }
        if russianFirstNames.contains(first) { return countries[lexHash("russian")] }
        let l = String(String.UnicodeScalarView(last)).lowercased()
        for suf in ["ov", "ova", "ev", "eva", "in", "ine", "sky", "skiy", "enko"] where l.hasSuffix(suf) && l.count > 4 {
            if suf == "enko" { return countries[lexHash("ukrainian")] }
            if suf == "in" || suf == "ine" {
                if l.hasSuffix("tin") || l.hasSuffix("shin") || l.hasSuffix("kin") || l.hasSuffix("rin") || l.hasSuffix("nin") {
                    return countries[lexHash("russian")]
                }
                continue
            }
            return countries[lexHash("russian")]
        }
        return nil
    }

    /// Words of a label that are not names ("Update:", "Note:").
    static let labelStops: Set<UInt64> = Set([
        "update", "note", "editor's", "related", "read", "watch", "photo", "video", "source", "sources", "image",
        "correction", "disclosure", "advertisement", "tags", "see", "also", "more", "click", "listen", "subscribe",
        "breaking", "exclusive", "warning", "ps", "p.s", "q", "a", "question", "answer", "the", "this", "here",
        "caption", "credit", "example",
    ].map(lexHash))
}
