//! Nicknames: which given names are the same name in another form.
//!
//! A customer registered as `Bill` in one system and `William` in another, or as `Kasia` and
//! `Katarzyna`, or as `Christopher` by an English agent and `Kristoffer` by a Norwegian one, is
//! one person; comparing first names as strings misses that. This table lists groups of given
//! names that are nicknames, short forms or cross-language spellings of each other, in English,
//! Norwegian, Swedish, Danish, Dutch, Polish and German. The comparison stage uses it as one level
//! between "exact" and "different" for the first name.
//!
//! **Precision over recall.** A group only holds names that people really use interchangeably
//! for one person. Names that grew from one root into separate names given to different children
//! of the same family are kept apart, because a false merge of twins or siblings who share a
//! surname, address and phone is far worse than a missed duplicate: Norwegian `Kari`, `Karin`
//! and `Katrine`; `Jan`, `Hans`, `Jens` and `Johannes`; `Anders` and `Andreas`; `Per` and
//! `Peter`; `Ola` and `Ole`; `Lisa` and `Elisabeth`. Short forms that serve several names (`Chris`
//! for Christopher, Christian and Christina; `Alex`) are in each of those groups, and the relation
//! is deliberately not transitive: `Chris` matches `Christopher` and `Christian`, but
//! `Christopher` does not match `Christian`.
//!
//! Names are stored folded (the form of `crate::normalise::text::fold`: lower-case ASCII,
//! diacritics removed, `ł` → `l`, `ø` → `o`), so callers pass folded first names.

use std::collections::HashMap;
use std::sync::LazyLock;

/// Groups of variants of one given name; a group's id is its index here.
#[rustfmt::skip]
const GROUPS: &[&[&str]] = &[
    // English-centred families, with their Nordic, Dutch, German and Polish forms.
    &["william", "bill", "billy", "will", "willy", "willie", "wilhelm", "willem", "wim", "vilhelm", "gwilym"],
    &["robert", "bob", "bobby", "rob", "robbie", "robby", "robbert", "bert"],
    &["richard", "rick", "ricky", "rich", "richie", "dick", "rikard", "rickard", "ryszard", "dickie", "dicky", "dickey", "ritchie", "richey"],
    &["elizabeth", "elisabeth", "elisabet", "elizabet", "elzbieta", "liz", "lizzy", "lizzie", "beth", "betty", "eliza", "liesbeth", "lisbeth", "lisbet", "elsbeth", "els", "ela", "betsy", "betsey", "bess", "bessie"],
    &["katarina", "katharina", "catharina", "catarina", "katrina", "catherine", "katherine", "kathryn", "cathrine", "kathrine", "katrine", "katarzyna", "kate", "katie", "kathy", "cathy", "kasia", "kaska"],
    &["johannes", "johann", "johan", "hannes", "joop"],
    &["john", "johnny", "jonny", "jack", "johnnie"],
    &["jan", "janek", "jasiek"],
    &["aleksander", "alexander", "aleksandr", "alexandre", "alex", "aleks", "olek", "sasha", "sascha", "alec", "alick"],
    &["aleksandra", "alexandra", "alex", "aleks", "sasha", "sascha"],
    &["margaret", "margareta", "margaretha", "margarete", "margarethe", "margrethe", "margrete", "margreet", "malgorzata", "gosia", "maggie", "meg", "peggy", "margit", "greta", "grete", "gretchen", "merete", "grietje", "may", "madge", "maisie"],
    &["jakob", "jacob", "jakub", "jacobus", "kuba", "jake", "jaap", "koos"],
    &["kristoffer", "christoffer", "christopher", "kristofer", "cristopher", "krzysztof", "krzys", "chris", "kris", "stoffer"],
    &["karl", "carl", "kalle", "karol", "charles", "charlie", "chuck", "karel", "charley", "chas"],
    &["nils", "niels"],
    &["nicholas", "nicolas", "nikolas", "nicklas", "niklas", "nikolaj", "nikolai", "nicolai", "nikolaus", "mikolaj", "nicolaas", "klaas", "nick", "nicky", "nico", "niko"],
    &["klaus", "claus"],
    &["peter", "pieter", "piet", "piotr", "piotrek", "petrus", "pete", "petter", "peder"],
    &["per", "pelle"],
    &["paul", "pawel", "paulus", "pal", "poul", "pavel", "paavo"],
    &["michael", "michal", "mikael", "mikkel", "michiel", "michel", "mike", "mick", "mickey", "micha"],
    &["thomas", "tomas", "tomasz", "tom", "tommy", "thom", "tomek", "tommie"],
    &["andrew", "andy", "drew", "andreas", "andrzej", "jedrzej", "andries", "andre"],
    &["james", "jim", "jimmy", "jamie", "jimmie", "jake", "jem"],
    &["joseph", "josef", "jozef", "joe", "joey", "sepp", "jozek"],
    &["daniel", "dan", "danny", "daan", "danek"],
    &["david", "dave", "davy", "dawid", "davie"],
    &["benjamin", "ben", "benny", "benji"],
    &["edward", "ed", "eddie", "eddy", "ted", "teddy", "edvard", "eduard", "edek", "ned", "neddy"],
    &["anthony", "antony", "tony", "anton", "antoni", "antonius", "toni", "ton", "teun", "antek"],
    &["stephen", "steven", "steve", "stevie", "stefan", "stephan", "steffen", "szczepan", "staffan"],
    &["matthew", "matt", "matthias", "mathias", "mattias", "mateusz", "matteus", "matheus", "matthijs", "mateus", "matti"],
    &["henry", "harry", "hank", "henrik", "hendrik", "heinrich", "henryk", "hein", "heinz", "henk", "heini"],
    &["frederick", "frederic", "fred", "freddy", "freddie", "fredrik", "frederik", "friedrich", "fritz", "fryderyk", "frits", "freek"],
    &["gregory", "greg", "grzegorz", "gregor", "greger", "gregers", "grzesiek"],
    &["lawrence", "laurence", "larry", "laurens", "lorenz", "laurentius", "laurids", "lauritz", "wawrzyniec"],
    &["patrick", "pat", "paddy", "patryk"],
    &["patricia", "pat", "patty", "patsy", "trish", "tricia", "patrycja"],
    &["susan", "sue", "susie", "suzy", "susanne", "susanna", "suzanne", "zuzanna", "zuzia", "suus"],
    &["jennifer", "jen", "jenny", "jenni"],
    &["rebecca", "becky", "becca", "rebekka", "rebekah", "rebeka"],
    &["deborah", "debbie", "debby", "deb", "debra"],
    &["victoria", "viktoria", "wiktoria", "vicky", "vicki", "tori"],
    &["christina", "christine", "kristina", "kristine", "krystyna", "christa", "krista", "chris", "kris", "krysia"],
    &["kirsten", "kjersti", "kerstin", "kirstine", "kirstin"],
    &["christian", "kristian", "krystian", "christiaan", "chris", "kris"],
    &["jonathan", "jon", "jonny", "jonathon"],
    &["nathaniel", "nathanael", "nat", "nate"],
    &["samuel", "sam", "sammy"],
    &["samantha", "sam", "sammie", "sammy"],
    &["alfred", "alf", "alfie", "fred", "freddie"],
    &["albert", "albrecht", "al", "bert", "bertie", "albertus"],
    &["arthur", "artur", "art", "artie"],
    &["abraham", "abe", "bram", "abram"],
    &["isabella", "isabel", "isabelle", "izabela", "izabella", "bella", "iza"],
    &["olivia", "oliwia", "livvy"],
    &["sophia", "sophie", "sofie", "sofia", "zofia", "zosia", "sofi"],
    &["anna", "ann", "anne", "annie", "ania", "anka", "anusia", "anneke"],
    &["hannah", "hanna", "hanne"],
    &["maria", "marie", "mary", "marysia", "maryla", "molly", "polly", "mies", "may", "mae"],
    &["olav", "olaf", "oluf"],
    &["knut", "knud"],
    &["gustav", "gustaf", "gustaw", "gosta", "gus", "gustl"],
    &["erik", "eric", "erich", "eirik", "eryk", "erick"],
    &["george", "georg", "jerzy", "jurek", "joris", "georgie", "geordie", "jorg", "joerg"],
    &["jurgen", "juergen", "jorgen"],
    &["sven", "svein", "svend", "swen"],
    &["kjell", "kjeld"],
    &["tor", "thor"],
    &["einar", "ejnar"],
    &["hakon", "haakon", "hakan"],
    &["ivar", "iver"],
    &["cecilia", "cecilie", "cecylia", "cecily", "cecile"],
    &["helena", "helene", "helen", "heleen", "hela"],
    &["johanna", "johanne", "joanna", "joanne", "asia", "jo", "hanneke", "joasia"],
    &["josephine", "josefine", "josefin", "jo", "josie", "fien"],
    &["louise", "louisa", "luise", "lovise", "lovisa", "ludwika", "lou"],
    &["louis", "lewis", "ludwig", "ludvig", "ludwik", "lodewijk", "lou", "lutz"],
    &["charlotte", "lotte", "lotta", "lottie", "charlie", "charlotta", "lotje"],
    &["caroline", "carolina", "karolina", "karoline", "carrie", "caro"],
    &["theodore", "theodor", "teodor", "theo", "ted", "teddy", "theodoor"],
    &["dorothy", "dorothea", "dorota", "dorte", "dorthe", "dorotka", "dot", "dottie", "dolly"],
    &["francis", "franciszek", "frans", "franz", "francesco", "franek", "frank", "frankie"],
    &["frances", "francesca", "franziska", "franciszka", "fran", "frannie", "fanny", "frankie"],
    &["ernest", "ernst", "ernie"],
    &["gerard", "gerhard", "gerrit", "gerardus", "gert", "geert", "gerhardt"],
    &["herman", "hermann", "harm"],
    &["cornelius", "cornelis", "korneliusz", "kees", "cees", "cor"],
    &["wilhelmina", "willemina", "wilma"],
    &["adrian", "adriaan", "adrianus", "adrien", "arie"],
    &["bartholomew", "bartolomeus", "bartlomiej", "bart", "bartek", "bartel"],
    &["wojciech", "wojtek"],
    &["stanislaw", "stanislav", "stanislaus", "stas", "staszek", "stan"],
    &["wladyslaw", "wladek", "ladislaus"],
    &["agnes", "agnieszka", "agneta", "agnete", "aggie", "aga", "agusia", "nessie"],
    &["barbara", "basia", "barb", "barbie", "babs"],
    &["magdalena", "magdalene", "magda", "madeleine", "madeline", "madelene", "madelaine", "madzia"],
    &["hedwig", "hedvig", "jadwiga", "jadzia"],
    &["zbigniew", "zbyszek"],
    &["tadeusz", "tadek", "thaddeus"],
    &["kazimierz", "kazik", "kazek", "casimir", "kasimir"],
    &["mieczyslaw", "mietek"],
    &["eva", "ewa", "eve", "evi", "evie"],
    &["teresa", "theresa", "therese", "terese", "tereza", "tess", "tessa", "resi", "teresia"],
    &["monika", "monica", "moni", "monia"],
    &["justyna", "justine", "justina"],
    &["dominic", "dominik", "dominick", "dom"],
    &["lukas", "lucas", "lukasz", "luke", "luuk"],
    &["martin", "marcin", "maarten", "marten", "martijn", "marty", "tijn"],
    &["mark", "marc", "marek", "marco"],
    &["marcus", "markus"],
    &["philip", "phillip", "philipp", "filip", "phil", "flip"],
    &["simon", "szymon", "simen", "siem"],
    &["benedict", "benedikt", "benedykt", "bendik"],
    &["mathilde", "matilda", "mathilda", "matylda", "tilda", "tilde", "tilly"],
    &["frida", "frieda", "fryda"],
    &["bridget", "brigitte", "brigitta", "birgitta", "birgit", "birgitte", "birte", "brygida"],
    &["ulrike", "ulrika", "ulrikke"],
    &["sebastian", "sebastiaan", "sebastien", "bastian", "basti", "seb", "bas"],
    &["tobias", "tobiasz", "tobi", "toby"],
    &["emil", "emiel"],
    &["emily", "emilie", "emilia", "emilka", "millie"],
    &["lucy", "lucia", "lucie", "lucja"],
    &["hugh", "hugo", "huey", "hughie"],
    &["leonard", "leonhard", "leonardo", "leendert", "lenny", "len"],
    &["ronald", "ron", "ronnie", "ronny"],
    &["donald", "don", "donnie"],
    &["douglas", "doug"],
    &["kenneth", "ken", "kenny"],
    &["timothy", "tim", "timmy", "tymoteusz", "timotheus"],
    &["gabriela", "gabriella", "gabrielle", "gaby", "gabi"],
    &["raymond", "ray", "rajmund"],
    &["walter", "walther", "valter", "wouter", "walt", "wally"],
    &["vincent", "vince", "vinnie", "wincenty", "vincenzo"],
    &["eugene", "eugen", "eugeniusz", "gene"],
    &["rudolf", "rudolph", "rudi", "rudy", "ruud", "dolf"],
    &["abigail", "abby", "abbie"],
    &["amanda", "mandy"],
    &["jessica", "jess", "jessie"],
    &["jacqueline", "jackie", "jacky"],
    &["zachary", "zach", "zack", "zak"],
    &["joshua", "josh"],
    &["ingeborg", "inge"],
    &["gertrude", "gertrud", "geertruida", "truus", "trudy", "gerti"],
    &["harold", "harald", "hal", "harry"],
    &["oscar", "oskar", "ossi"],
    &["vilde", "wilde"],
    &["tove", "tova"],
    &["ase", "aase", "asa"],
    &["jorunn", "jorun"],
    &["annika", "annica"],
    &["yvonne", "ivonne", "iwona"],
    &["julia", "julie", "juliane", "julka"],
    &["natalia", "natalie", "nathalie", "natasha", "nata"],
    &["veronica", "veronika", "weronika"],
    &["valentina", "walentyna"],
    &["konrad", "conrad", "koenraad", "koen"],
    &["joachim", "jochem", "jochen", "achim"],
    &["nicole", "nicola", "nikki", "nicky"],
    // Nordic.
    &["mats", "mads"],
    &["kasper", "casper", "kacper"],
    &["sigurd", "sigurdur", "siggi"],
    &["torbjorn", "thorbjorn"],
    &["torstein", "thorstein", "torsten", "thorsten"],
    &["leif", "lejf"],
    &["solveig", "solvei"],
    &["gunnar", "gunner"],
    &["torunn", "torun", "thorunn"],
    &["birger", "borge"],
    &["anette", "annette", "anett"],
    &["kaja", "kaia"],
    &["maja", "maya", "maija"],
    &["eivind", "eyvind", "ejvind", "oyvind"],
    &["hilde", "hilda"],
    // German.
    &["gunther", "gunter", "guenther", "guenter"],
    &["liselotte", "lieselotte", "lilo"],
    &["ulrich", "uli", "ulli"],
    &["rainer", "reiner", "reinier", "rainier"],
    &["detlef", "detlev"],
    &["manfred", "manni"],
    &["wolfgang", "wolfi"],
    &["stefanie", "stephanie", "stefania", "steffi"],
    &["gisela", "gisele", "gisella"],
    &["dietrich", "dieter"],
    &["maximilian", "maksymilian", "max", "maks", "maxi"],
    &["leopold", "poldi"],
    &["ferdinand", "ferdi"],
    &["august", "augustus", "augustyn", "gus", "gussie"],
    &["bernard", "bernhard", "bernardus", "bernd", "bernie"],
    &["gottfried", "godfrey", "gotfred"],
    // Dutch.
    &["diederik", "dirk", "derk"],
    &["hieronymus", "hieronim", "jeroen", "jerome"],
    &["gijsbert", "gijsbertus", "gijs"],
    &["lambert", "lammert"],
    &["hendrika", "henriette", "henrietta", "jet", "jetje", "riek"],
    &["joost", "justus"],
    &["jacques", "sjaak"],
    &["hubert", "hubertus", "huub"],
    // Polish.
    &["jaroslaw", "jarek"],
    &["miroslaw", "mirek"],
    &["radoslaw", "radek"],
    &["przemyslaw", "przemek"],
    &["slawomir", "slawek"],
    &["wieslaw", "wiesiek"],
    &["maciej", "maciek"],
    &["dariusz", "darek"],
    &["zdzislaw", "zdzisiek"],
    &["bronislaw", "bronek"],
    &["urszula", "ursula", "ula", "urszulka"],
    &["jolanta", "jola"],
    &["bozena", "bozenka"],
    &["stanislawa", "stasia"],
    &["danuta", "danusia", "danka"],
    &["irena", "irene", "irka"],
    // English.
    // Diminutives English archives write for the full name (historical_50k's copies use them:
    // Frank for Francis, Jack for John, Ned for Edward, Bert for Herbert, Fanny for Frances).
    &["herbert", "herb", "herbie", "bert", "bertie"],
    &["isaac", "isak", "izaak", "ike"],
    &["sarah", "sara", "sally", "sadie", "sal"],
    &["florence", "florrie", "flo", "flossie"],
    &["adelaide", "addie", "addy"],
    &["lavinia", "vinnie"],
    &["montague", "montagu", "monty"],
    &["howard", "howie"],
    &["norman", "norm", "norrie"],
    &["georgina", "georgie", "gina"],
    &["janet", "jessie", "jess", "netta"],
    &["owen", "owain"],
    &["edmund", "edmond", "ned"],
    &["alice", "alicja", "alicia", "ally", "allie"],
    &["eleanor", "elinor", "eleonora", "ellie", "nell", "nellie"],
    &["gwendolyn", "gwendolen", "gwen"],
    &["jeffrey", "geoffrey", "jeff", "geoff"],
    &["oliver", "olivier", "oliwer", "ollie"],
    &["percival", "percy"],
    &["reginald", "reg", "reggie"],
    &["roger", "rutger", "rudiger", "rogier"],
    &["terence", "terrence", "terry"],
    &["vivian", "vivienne", "viv"],
    &["winifred", "winnie"],
    &["archibald", "archie"],
    &["clifford", "cliff"],
    &["cynthia", "cindy"],
    &["sylvia", "silvia", "sylwia"],
    &["valerie", "valeria", "waleria", "val"],
];

/// Name → ids of the groups it belongs to, ascending.
static INDEX: LazyLock<HashMap<&'static str, Vec<u32>>> = LazyLock::new(|| {
    let mut index: HashMap<&'static str, Vec<u32>> = HashMap::new();
    for (id, group) in (0u32..).zip(GROUPS) {
        for &name in *group {
            let ids = index.entry(name).or_default();
            // A name listed twice in one group must not get the id twice.
            if ids.last() != Some(&id) {
                ids.push(id);
            }
        }
    }
    index
});

/// The id of the nickname group of a folded first name, or `None` when the name is in no group.
/// A name in several groups (`chris`, `alex`, `sam`) gets the smallest id; to test whether two
/// names are variants use [`are_nickname_variants`], which looks at every group.
pub fn nickname_group(folded_first: &str) -> Option<u32> {
    INDEX.get(folded_first).and_then(|ids| ids.first().copied())
}

/// Every group a folded first name belongs to (ascending), empty for names in no group. Dedup
/// looks this up once per record, so comparing two names needs no hashing.
pub fn groups(folded_first: &str) -> &'static [u32] {
    INDEX.get(folded_first).map(Vec::as_slice).unwrap_or(&[])
}

/// True when two folded first names are the same name or variants of each other (share a group).
/// An empty name is never a variant of anything: an absent name is not evidence.
pub fn are_nickname_variants(a: &str, b: &str) -> bool {
    if a.is_empty() || b.is_empty() {
        return false;
    }
    if a == b {
        return true;
    }
    match (INDEX.get(a), INDEX.get(b)) {
        (Some(x), Some(y)) => x.iter().any(|id| y.contains(id)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::text::fold;

    #[test]
    fn variants_table() {
        let cases = [
            ("william", "bill", true),
            ("willem", "wim", true),
            ("robert", "bob", true),
            ("elizabeth", "elzbieta", true),
            ("liesbeth", "betty", true),
            ("katarzyna", "kasia", true),
            ("catherine", "katrine", true),
            ("aleksander", "olek", true),
            ("alexander", "alex", true),
            ("alexandra", "alex", true),
            ("malgorzata", "gosia", true),
            ("margaret", "maggie", true),
            ("margrethe", "merete", true),
            ("jakub", "kuba", true),
            ("jacob", "jakob", true),
            ("kristoffer", "christopher", true),
            ("krzysztof", "chris", true),
            ("karl", "carl", true),
            ("kalle", "karl", true),
            ("nils", "niels", true),
            ("nicolaas", "klaas", true),
            ("piotr", "peter", true),
            ("pawel", "paul", true),
            ("michal", "mikkel", true),
            ("hendrik", "henk", true),
            ("gustav", "gosta", true),
            ("hakon", "hakan", true),
            ("jurgen", "jorgen", true),
            ("chris", "christian", true),
            ("hansen", "hansen", true),
            // Precision: names siblings are given separately never match.
            ("alexander", "alexandra", false),
            ("christopher", "christian", false),
            ("christian", "christina", false),
            ("jan", "johannes", false),
            ("hans", "johannes", false),
            ("jens", "jan", false),
            ("kari", "karin", false),
            ("karin", "katrine", false),
            ("anders", "andreas", false),
            ("per", "peter", false),
            ("ola", "ole", false),
            ("ola", "aleksandra", false),
            ("lisa", "elisabeth", false),
            ("nils", "niklas", false),
            ("klaus", "nikolaus", false),
            ("hansen", "jensen", false),
            ("", "", false),
            ("", "jan", false),
            ("unknownname", "otherunknown", false),
        ];
        for (a, b, expected) in cases {
            assert_eq!(are_nickname_variants(a, b), expected, "{a} ~ {b}");
            assert_eq!(are_nickname_variants(b, a), expected, "{b} ~ {a}");
        }
    }

    #[test]
    fn english_diminutives_an_archive_writes() {
        for (a, b) in [
            ("frank", "francis"),
            ("jack", "john"),
            ("ned", "edward"),
            ("bert", "herbert"),
            ("fanny", "frances"),
            ("harry", "harold"),
            ("sally", "sarah"),
            ("ike", "isaac"),
        ] {
            assert!(are_nickname_variants(a, b), "{a} {b}");
        }
        // A short form of two names does not make them one: Harry is Henry's and Harold's.
        assert!(!are_nickname_variants("henry", "harold"));
        assert!(!are_nickname_variants("frances", "francis"));
    }

    #[test]
    fn group_ids() {
        let cases = [
            ("william", Some(0)),
            ("bill", Some(0)),
            ("robert", Some(1)),
            // In the Christopher, Christina and Christian groups: the smallest id.
            ("chris", nickname_group("christopher")),
            ("kasia", nickname_group("katarzyna")),
            ("jan", nickname_group("janek")),
            ("Bill", None),
            ("zzz", None),
            ("", None),
        ];
        for (name, expected) in cases {
            assert_eq!(nickname_group(name), expected, "{name}");
        }
        assert!(nickname_group("chris") < nickname_group("christina"));
    }

    #[test]
    fn table_is_folded_and_well_formed() {
        assert!(GROUPS.len() >= 150, "{} groups", GROUPS.len());
        for group in GROUPS {
            assert!(group.len() >= 2, "{group:?} has nothing to match");
            for name in *group {
                assert_eq!(fold(name), *name, "{name} is not folded");
                assert!(name.bytes().all(|b| b.is_ascii_lowercase()), "{name}");
            }
        }
    }
}
