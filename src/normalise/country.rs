//! Country: map whatever a CRM put in the country column onto an ISO 3166-1 alpha-2 code.
//!
//! The country decides how postcodes, phone numbers and organisation numbers are read, so it is
//! normalised early and reused as context by the other normalisers. Exports write countries every
//! way imaginable: codes (`NO`, `NOR`), English names, local names (`Norge`, `Deutschland`),
//! names in the seller's language (`Tyskland`, `Niemcy`), old or colloquial names (`Holland`,
//! `UK`, `Turkey`). Matching is done on a folded key (case, accents, punctuation and spaces
//! ignored), so `Dänemark`, `DANEMARK` and `dänemark.` all land on `DK`.
//!
//! The table lists every ISO 3166-1 country with its alpha-3 code, its English names and its names
//! in Norwegian (Bokmål and Nynorsk), Swedish, Danish, Dutch, Polish and German, taken from the
//! Debian `iso-codes` translations and extended by hand with colloquial variants. `XK` (Kosovo) is
//! included although it is a user-assigned code, because CRMs and EU bodies use it.

use std::collections::HashMap;
use std::sync::LazyLock;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use super::{Cleaned, is_blank};

/// Cleans a country value into its upper-case ISO 3166-1 alpha-2 code.
///
/// `Valid` when the raw value (trimmed) already was the upper-case alpha-2 code; `Invalid` when
/// no country matches.
pub fn clean_country(raw: &str) -> Cleaned {
    if is_blank(raw) {
        return Cleaned::missing();
    }
    match country_alpha2(raw) {
        Some(code) => Cleaned::from_raw(raw, code.to_string()),
        None => Cleaned::invalid(),
    }
}

/// The ISO 3166-1 alpha-2 code for a country code or name in any of the supported languages.
pub fn country_alpha2(raw: &str) -> Option<&'static str> {
    let key = fold_key(raw);
    if key.is_empty() {
        return None;
    }
    BY_KEY.get(key.as_str()).copied()
}

/// Folds a name to its matching key (also used by the gender normaliser): lower-case, accents and combining marks dropped, the
/// Nordic and Polish letters that Unicode does not decompose spelt out the way people type them
/// on an English keyboard (`ø`→`o`, `æ`→`ae`, `ł`→`l`, `ß`→`ss`), and everything but letters and
/// digits removed, so `U.S.A.`, `Côte d'Ivoire` and `Nord-Korea` compare as `usa`,
/// `cotedivoire` and `nordkorea`.
pub(crate) fn fold_key(raw: &str) -> String {
    let mut key = String::new();
    // Lower-casing before NFD: `İ`.to_lowercase() yields `i` plus a combining dot that NFD then
    // lets us drop.
    for c in raw.to_lowercase().nfd() {
        if is_combining_mark(c) {
            continue;
        }
        match c {
            'ø' => key.push('o'),
            'æ' => key.push_str("ae"),
            'œ' => key.push_str("oe"),
            'ł' => key.push('l'),
            'ß' => key.push_str("ss"),
            'đ' => key.push('d'),
            'þ' => key.push_str("th"),
            'ı' => key.push('i'),
            c if c.is_alphanumeric() => key.push(c),
            _ => {}
        }
    }
    key
}

/// Every folded key (alpha-2 code, alpha-3 code and each name) mapped to its alpha-2 code. Built
/// once on first use; a `HashMap` keeps lookups cheap for the millions of rows a register can have.
static BY_KEY: LazyLock<HashMap<String, &'static str>> = LazyLock::new(|| {
    let mut map = HashMap::new();
    for &(alpha2, names) in COUNTRIES {
        map.insert(fold_key(alpha2), alpha2);
        for name in names {
            map.insert(fold_key(name), alpha2);
        }
    }
    map
});

/// Alpha-2 code, then alpha-3 code and names. Sorted by alpha-2; the test below checks that no
/// folded key belongs to two countries, so the order of insertion never matters.
#[rustfmt::skip]
static COUNTRIES: &[(&str, &[&str])] = &[
    ("AD", &["AND", "Andorra", "Principality of Andorra", "Fyrstedømmet Andorra", "Fyrstedømet Andorra", "Furstendömet Andorra", "Fyrstendømmet Andorra", "Vorstendom Andorra", "Andora", "Księstwo Andory", "Fürstentum Andorra"]),
    ("AE", &["ARE", "United Arab Emirates", "De forente arabiske emirater", "Dei sameinte arabiske emirata", "Förenade Arabemiraten", "Forenede Arabiske Emirater", "Verenigde Arabische Emiraten", "Zjednoczone Emiraty Arabskie", "Vereinigte Arabische Emirate", "UAE", "Emiratene"]),
    ("AF", &["AFG", "Afghanistan", "Islamic Republic of Afghanistan", "Den islamske republikk Afghanistan", "Den islamske republikken Afghanistan", "Islamiska republiken Afghanistan", "Den Islamiske Republik Afghanistan", "Islamitische Republiek Afghanistan", "Afganistan", "Islamska Republika Afganistanu", "Islamische Republik Afghanistan"]),
    ("AG", &["ATG", "Antigua and Barbuda", "Antigua og Barbuda", "Antigua och Barbuda", "Antigua en Barbuda", "Antigua i Barbuda", "Antigua und Barbuda"]),
    ("AI", &["AIA", "Anguilla"]),
    ("AL", &["ALB", "Albania", "Republic of Albania", "Republikken Albania", "Albanien", "Republiken Albanien", "Republikken Albanien", "Albanië", "Republiek Albanië", "Republika Albanii", "Republik Albanien"]),
    ("AM", &["ARM", "Armenia", "Republic of Armenia", "Republikken Armenia", "Armenien", "Republiken Armenien", "Republikken Armenien", "Armenië", "Republiek Armenië", "Republika Armenii", "Republik Armenien"]),
    ("AO", &["AGO", "Angola", "Republic of Angola", "Republikken Angola", "Republiken Angola", "Republiek Angola", "Republika Angoli", "Republik Angola"]),
    ("AQ", &["ATA", "Antarctica", "Antarktika", "Antarktis", "Antarktyka"]),
    ("AR", &["ARG", "Argentina", "Argentine Republic", "Republikken Argentina", "Argentinska republiken", "Argentinske Republik", "Argentinië", "Argentijnse Republiek", "Argentyna", "Republika Argentyńska", "Argentinien", "Argentinische Republik"]),
    ("AS", &["ASM", "American Samoa", "Amerikansk Samoa", "Amerikanska Samoa", "Amerikaans-Samoa", "Samoa Amerykańskie", "Amerikanisch-Samoa"]),
    ("AT", &["AUT", "Austria", "Republic of Austria", "Østerrike", "Republikken Østerrike", "Austerrike", "Republikken Austerrike", "Republiken Österrike", "Østrig", "Republikken Østrig", "Oostenrijk", "Republiek Oostenrijk", "Republika Austrii", "Österreich", "Republik Österreich"]),
    ("AU", &["AUS", "Australia", "Australien", "Australië"]),
    ("AW", &["ABW", "Aruba"]),
    ("AX", &["ALA", "Åland Islands", "Åland", "Ålandseilanden", "Wyspy Alandzkie", "Åland-Inseln"]),
    ("AZ", &["AZE", "Azerbaijan", "Republic of Azerbaijan", "Aserbajdsjan", "Republikken Aserbajdsjan", "Azerbajdzjan", "Republiken Azerbajdzjan", "Azerbeidzjan", "Republiek Azerbeidzjan", "Azerbejdżan", "Republika Azerbejdżanu", "Aserbaidschan", "Republik Aserbaidschan"]),
    ("BA", &["BIH", "Bosnia and Herzegovina", "Republic of Bosnia and Herzegovina", "Bosnia-Hercegovina", "Republikken Bosnia-Hercegovina", "Bosnien-Hercegovina", "Republiken Bosnien-Hercegovina", "Republikken Bosnien-Herzegovina", "Bosnië en Herzegovina", "Republiek Bosnië en Herzegovina", "Bośnia i Hercegowina", "Republika Bośni i Hercegowiny", "Bosnien und Herzegowina"]),
    ("BB", &["BRB", "Barbados"]),
    ("BD", &["BGD", "Bangladesh", "People's Republic of Bangladesh", "Folkerepublikken Bangladesh", "Folkrepubliken Bangladesh", "Volksrepubliek Bangladesh", "Bangladesz", "Ludowa Republika Bangladeszu", "Bangladesch", "Volksrepublik Bangladesh"]),
    ("BE", &["BEL", "Belgium", "Kingdom of Belgium", "Belgia", "Kongeriket Belgia", "Belgien", "Konungariket Belgien", "Kongeriget Belgien", "België", "Koninkrijk België", "Królestwo Belgii", "Königreich Belgien", "Belgique"]),
    ("BF", &["BFA", "Burkina Faso"]),
    ("BG", &["BGR", "Bulgaria", "Republic of Bulgaria", "Republikken Bulgaria", "Bulgarien", "Republiken Bulgarien", "Republikken Bulgarien", "Bulgarije", "Republiek Bulgarije", "Republika Bułgarii", "Republik Bulgarien"]),
    ("BH", &["BHR", "Bahrain", "Kingdom of Bahrain", "Kongedømmet Bahrain", "Kongedømet Bahrain", "Konungariket Bahrain", "Bahrein", "Koninkrijk Bahrein", "Bahrajn", "Królestwo Bahrajnu", "Königreich Bahrain"]),
    ("BI", &["BDI", "Burundi", "Republic of Burundi", "Republikken Burundi", "Republiken Burundi", "Republiek Burundi", "Republika Burundi", "Republik Burundi"]),
    ("BJ", &["BEN", "Benin", "Republic of Benin", "Republikken Benin", "Republiken Benin", "Republiek Benin", "Republika Beninu", "Republik Benin"]),
    ("BL", &["BLM", "Saint Barthélemy", "Sankt Bartolomæus"]),
    ("BM", &["BMU", "Bermuda", "Bermudy"]),
    ("BN", &["BRN", "Brunei Darussalam", "Brunei", "Państwo Brunei"]),
    ("BO", &["BOL", "Bolivia, Plurinational State of", "Plurinational State of Bolivia", "Bolivia", "Bolivia, den flernasjonale stat", "Den flernasjonale stat Bolivia", "Den fleirnasjonale staten Bolivia", "Bolivia, Mångnationella staten", "Mångnationella staten Bolivia", "Bolivia, Den Plurinationale Stat", "Den Plurinationale Stat Bolivia", "Bolivia, Multinationale Staat", "Multinationale Staat Bolivia", "Boliwia - Wielonarodowe Państwo", "Wielonarodowe Państwo Boliwii", "Boliwia", "Bolivien, Plurinationaler Staat", "Plurinationaler Staat Bolivien", "Bolivien"]),
    ("BQ", &["BES", "Bonaire, Sint Eustatius and Saba", "Bonaire, Sint Eustatius og Saba", "Bonaire, Sint Eustatius och Saba", "Bonaire, Sint Eustatius en Saba", "Bonaire, Sint Eustatius i Saba", "Bonaire, Sint Eustatius und Saba"]),
    ("BR", &["BRA", "Brazil", "Federative Republic of Brazil", "Brasil", "Forbundsrepublikken Brasil", "Sambandsrepublikken Brasil", "Brasilien", "Federala republiken Brasilien", "Den Føderative Republik Brasilien", "Brazilië", "Federale Republiek Brazilië", "Brazylia", "Federacyjna Republika Brazylii", "Föderative Republik Brasilien"]),
    ("BS", &["BHS", "Bahamas", "Commonwealth of the Bahamas", "Bahamassambandet", "Bahamassamveldet", "Samväldet Bahamas", "Gemenebest van de Bahama's", "Bahamy", "Wspólnota Bahamów", "Commonwealth der Bahamas"]),
    ("BT", &["BTN", "Bhutan", "Kingdom of Bhutan", "Kongeriket Bhutan", "Konungariket Bhutan", "Kongedømmet Bhutan", "Koninkrijk Bhutan", "Królestwo Bhutanu", "Königreich Bhutan"]),
    ("BV", &["BVT", "Bouvet Island", "Bouvetøya", "Bouvetön", "Bouvet-øen", "Bouveteiland", "Wyspa Bouveta", "Bouvet-Insel"]),
    ("BW", &["BWA", "Botswana", "Republic of Botswana", "Republikken Botswana", "Republiken Botswana", "Republiek Botswana", "Republika Botswany", "Botsuana", "Republik Botsuana"]),
    ("BY", &["BLR", "Belarus", "Republic of Belarus", "Hviterussland", "Republikken Hviterussland", "Kviterussland", "Republikken Kviterussland", "Vitryssland", "Republiken Vitryssland", "Hviderusland", "Republikken Hviderusland", "Wit-Rusland", "Republiek Belarus", "Białoruś", "Republika Białorusi", "Republik Belarus", "Weißrussland"]),
    ("BZ", &["BLZ", "Belize"]),
    ("CA", &["CAN", "Canada", "Kanada"]),
    ("CC", &["CCK", "Cocos (Keeling) Islands", "Kokosøyene", "Kokosøyane", "Kokosöarna", "Cocosøerne (Keelingøerne)", "Cocoseilanden (Keelingeilanden)", "Wyspy Kokosowe (Wyspy Keelinga)", "Kokos-(Keeling-)Inseln"]),
    ("CD", &["COD", "Congo, The Democratic Republic of the", "Kongo, Den demokratiske republikk", "Den demokratiske republikken Kongo", "Kongo, demokratiska republiken", "Den Demokratiske Republik Congo", "Congo, Democratische Republiek", "Kongo, Demokratyczna Republika Konga", "Demokratische Republik Kongo", "DR Congo", "DRC", "Congo-Kinshasa"]),
    ("CF", &["CAF", "Central African Republic", "Den sentralafrikanske republikk", "Den sentralafrikanske republikken", "Centralafrikanska republiken", "Centralafrikanske Republik", "Centraal-Afrikaanse Republiek", "Republika Środkowoafrykańska", "Zentralafrikanische Republik"]),
    ("CG", &["COG", "Congo", "Republic of the Congo", "Kongo", "Republikken Kongo", "Republiken Kongo", "Republikken Congo", "Republiek Congo", "Republika Konga", "Republik Kongo", "Congo-Brazzaville"]),
    ("CH", &["CHE", "Switzerland", "Swiss Confederation", "Sveits", "Det sveitsiske edsforbund", "Det sveitsiske edssambandet", "Schweiz", "Schweiziska konfederationen", "Det Schweiziske Forbund", "Zwitserland", "Zwitserse Bondsstaat", "Szwajcaria", "Konfederacja Szwajcarska", "Schweizerische Eidgenossenschaft"]),
    ("CI", &["CIV", "Côte d'Ivoire", "Republic of Côte d'Ivoire", "Elfenbenskysten", "Republikken Elfenbenskysten", "Elfenbeinskysten", "Republikken Elfenbeinskysten", "Elfenbenskusten", "Republiken Elfenbenskusten", "Ivoorkust", "Republiek Ivoorkust", "Wybrzeże Kości Słoniowej", "Republika Wybrzeża Kości Słoniowej", "Republik Côte d'Ivoire", "Ivory Coast"]),
    ("CK", &["COK", "Cook Islands", "Cookøyene", "Cookøyane", "Cooköarna", "Cookøerne", "Cookeilanden", "Wyspy Cooka", "Cookinseln"]),
    ("CL", &["CHL", "Chile", "Republic of Chile", "Republikken Chile", "Republiken Chile", "Chili", "Republiek Chili", "Republika Chile", "Republik Chile"]),
    ("CM", &["CMR", "Cameroon", "Republic of Cameroon", "Kamerun", "Republikken Kamerun", "Republiken Kamerun", "Cameroun", "Republikken Cameroon", "Kameroen", "Republiek Kameroen", "Republika Kamerunu", "Republik Kamerun"]),
    ("CN", &["CHN", "China", "People's Republic of China", "Kina", "Folkerepublikken Kina", "Folkrepubliken Kina", "Volksrepubliek China", "Chiny", "Chińska Republika Ludowa", "Volksrepublik China"]),
    ("CO", &["COL", "Colombia", "Republic of Colombia", "Republikken Colombia", "Republiken Colombia", "Republiek Colombia", "Kolumbia", "Republika Kolumbii", "Kolumbien", "Republik Kolumbien"]),
    ("CR", &["CRI", "Costa Rica", "Republic of Costa Rica", "Republikken Costa Rica", "Republiken Costa Rica", "Republiek Costa Rica", "Kostaryka", "Republika Kostaryki", "Republik Costa Rica"]),
    ("CU", &["CUB", "Cuba", "Republic of Cuba", "Republikken Cuba", "Kuba", "Republiken Kuba", "Republiek Cuba", "Republika Kuby", "Republik Kuba"]),
    ("CV", &["CPV", "Cabo Verde", "Republic of Cabo Verde", "Kapp Verde", "Republikken Kapp Verde", "Kap Verde", "Republiken Kap Verde", "Republikken Kap Verde", "Kaapverdië", "Republiek Kaapverdië", "Republika Zielonego Przylądka", "Republik Kap Verde", "Cape Verde"]),
    ("CW", &["CUW", "Curaçao"]),
    ("CX", &["CXR", "Christmas Island", "Christmasøya", "Julön", "Juleøen", "Christmaseiland", "Wyspa Bożego Narodzenia", "Weihnachtsinseln"]),
    ("CY", &["CYP", "Cyprus", "Republic of Cyprus", "Kypros", "Republikken Kypros", "Cypern", "Republiken Cypern", "Republikken Cypern", "Republiek Cyprus", "Cypr", "Republika Cypru", "Zypern", "Republik Zypern"]),
    ("CZ", &["CZE", "Czechia", "Czech Republic", "Tsjekkia", "Den tsjekkiske republikk", "Tjeckien", "Tjekkiet", "Tsjechië", "Czechy", "Republika Czeska", "Tschechien", "Tschechische Republik"]),
    ("DE", &["DEU", "Germany", "Federal Republic of Germany", "Tyskland", "Forbundsrepublikken Tyskland", "Sambandsrepublikken Tyskland", "Förbundsrepubliken Tyskland", "Duitsland", "Bondsrepubliek Duitsland", "Niemcy", "Republika Federalna Niemiec", "Deutschland", "Bundesrepublik Deutschland", "West Germany", "BRD"]),
    ("DJ", &["DJI", "Djibouti", "Republic of Djibouti", "Republikken Djibouti", "Republiken Djibouti", "Republiek Djibouti", "Dżibuti", "Republika Dżibuti", "Dschibuti", "Republik Dschibuti"]),
    ("DK", &["DNK", "Denmark", "Kingdom of Denmark", "Danmark", "Kongeriket Danmark", "Konungariket Danmark", "Kongeriget Danmark", "Denemarken", "Koninkrijk Denemarken", "Dania", "Królestwo Danii", "Dänemark", "Königreich Dänemark"]),
    ("DM", &["DMA", "Dominica", "Commonwealth of Dominica", "Samveldet Dominica", "Samväldet Dominica", "Gemenebest van Dominica", "Dominika", "Wspólnota Dominiki", "Commonwealth Dominica"]),
    ("DO", &["DOM", "Dominican Republic", "Den dominikanske republikk", "Den dominikanske republikken", "Dominikanska republiken", "Dominikanske Republik", "Dominicaanse Republiek", "Republika Dominikańska", "Dominikanische Republik"]),
    ("DZ", &["DZA", "Algeria", "People's Democratic Republic of Algeria", "Algerie", "Den demokratiske folkerepublikk Algerie", "Den demokratiske folkedemokratirepublikken Algerie", "Algeriet", "Demokratiska folkrepubliken Algeriet", "Den Demokratiske Folkerepublik Algeriet", "Algerije", "Democratische Volksrepubliek Algerije", "Algieria", "Algierska Republika Ludowo-Demokratyczna", "Algerien", "Demokratische Volksrepublik Algerien"]),
    ("EC", &["ECU", "Ecuador", "Republic of Ecuador", "Republikken Ecuador", "Republiken Ecuador", "Republiek Ecuador", "Ekwador", "Republika Ekwadoru", "Republik Ecuador"]),
    ("EE", &["EST", "Estonia", "Republic of Estonia", "Estland", "Republikken Estland", "Republiken Estland", "Republiek Estland", "Republika Estonii", "Republik Estland", "Eesti"]),
    ("EG", &["EGY", "Egypt", "Arab Republic of Egypt", "Den arabiske republikk Egypt", "Den arabiske republikken Egypt", "Egypten", "Arabiska republiken Egypten", "Den Arabiske Republik Egypten", "Egypte", "Arabische Republiek Egypte", "Egipt", "Egipska Republika Arabska", "Ägypten", "Arabische Republik Ägypten"]),
    ("EH", &["ESH", "Western Sahara", "Vest-Sahara", "Västsahara", "Westelijke Sahara", "Sahara Zachodnia", "Westsahara"]),
    ("ER", &["ERI", "Eritrea", "the State of Eritrea", "Staten Eritrea", "Staat Eritrea", "Erytrea", "Państwo Erytrea"]),
    ("ES", &["ESP", "Spain", "Kingdom of Spain", "Spania", "Kongeriket Spania", "Spanien", "Konungariket Spanien", "Kongeriget Spanien", "Spanje", "Koninkrijk Spanje", "Hiszpania", "Królestwo Hiszpanii", "Königreich Spanien", "España"]),
    ("ET", &["ETH", "Ethiopia", "Federal Democratic Republic of Ethiopia", "Etiopia", "Den føderale demokratiske republikk Etiopia", "Den føderale demokratiske republikken Etiopia", "Etiopien", "Demokratiska förbundsrepubliken Etiopien", "Den Føderative Demokratiske Republik Etiopien", "Ethiopië", "Federale Democratische Republiek Ethiopië", "Etiopska Republika Ludowo-Demokratyczna", "Äthiopien", "Demokratische Bundesrepublik Äthiopien"]),
    ("FI", &["FIN", "Finland", "Republic of Finland", "Republikken Finland", "Republiken Finland", "Republiek Finland", "Finlandia", "Republika Finlandii", "Finnland", "Republik Finnland", "Suomi"]),
    ("FJ", &["FJI", "Fiji", "Republic of Fiji", "Republikken Fijiøyene", "Republikken Fiji", "Republiken Fiji", "Republiek Fiji", "Fidżi", "Republika Fidżi", "Fidschi", "Republik Fidschi"]),
    ("FK", &["FLK", "Falkland Islands (Malvinas)", "Falklandsøyene", "Falklandsøyane", "Falklandsöarna (Malvinas)", "Falklandsøerne (Malvinas)", "Falklandeilanden (Malvinas)", "Falklandy (Malwiny)", "Falklandinseln (Malwinen)"]),
    ("FM", &["FSM", "Micronesia, Federated States of", "Federated States of Micronesia", "Mikronesia, Føderasjonen", "Mikronesien, federala staterna", "Federala staterna Mikronesien", "Mikronesiens Forenede Stater", "Micronesia", "Federale Staten van Micronesia", "Mikronezja", "Sfederowane Stany Mikronezji", "Mikronesien, Föderierte Staaten von", "Föderierte Staaten von Mikronesien"]),
    ("FO", &["FRO", "Faroe Islands", "Færøyene", "Færøyane", "Färöarna", "Færøerne", "Faeröer", "Wyspy Owcze", "Färöer-Inseln", "Färöer"]),
    ("FR", &["FRA", "France", "French Republic", "Frankrike", "Republikken Frankrike", "Franska republiken", "Frankrig", "Den Franske Republik", "Frankrijk", "Franse Republiek", "Francja", "Republika Francji", "Frankreich", "Französische Republik"]),
    ("GA", &["GAB", "Gabon", "Gabonese Republic", "Republikken Gabon", "Gabonesiska republiken", "Den Gabonesiske Republik", "Republiek Gabon", "Republika Gabońska", "Gabun", "Gabunische Republik"]),
    ("GB", &["GBR", "United Kingdom", "United Kingdom of Great Britain and Northern Ireland", "Storbritannia", "Det forente kongeriket Storbritannia og Nord-Irland", "Det sameinte kongeriket Storbritannia og Nord-Irland", "Förenade kungariket", "Förenade kungariket Storbritannien och Nordirland", "Storbritannien", "Det Forenede Kongerige Storbritannien og Nordirland", "Verenigd Koninkrijk", "Verenigd Koninkrijk van Groot-Brittannië en Noord-Ierland", "Wielka Brytania", "Zjednoczone Królestwo Wielkiej Brytanii i Irlandii Północnej", "Vereinigtes Königreich", "Vereinigtes Königreich Großbritannien und Nordirland", "UK", "Great Britain", "Britain", "England", "Scotland", "Wales", "Northern Ireland", "Großbritannien", "Groot-Brittannië", "Engeland", "Anglia", "Szkocja", "Skottland", "Schottland", "Schotland"]),
    ("GD", &["GRD", "Grenada"]),
    ("GE", &["GEO", "Georgia", "Georgien", "Gruzja"]),
    ("GF", &["GUF", "French Guiana", "Fransk Guyana", "Franska Guyana", "Frans-Guyana", "Gujana Francuska", "Französisch-Guyana"]),
    ("GG", &["GGY", "Guernsey"]),
    ("GH", &["GHA", "Ghana", "Republic of Ghana", "Republikken Ghana", "Republiken Ghana", "Republiek Ghana", "Republika Ghany", "Republik Ghana"]),
    ("GI", &["GIB", "Gibraltar"]),
    ("GL", &["GRL", "Greenland", "Grønland", "Groenland", "Grenlandia"]),
    ("GM", &["GMB", "Gambia", "Republic of the Gambia", "Republikken Gambia", "Republiken Gambia", "Republiek Gambia", "Republika Gambii", "Republik Gambia"]),
    ("GN", &["GIN", "Guinea", "Republic of Guinea", "Republikken Guinea", "Republiken Guinea", "Guinee", "Republiek Guinee", "Gwinea", "Republika Gwinei", "Republik Guinea"]),
    ("GP", &["GLP", "Guadeloupe", "Gwadelupa"]),
    ("GQ", &["GNQ", "Equatorial Guinea", "Republic of Equatorial Guinea", "Ekvatorial-Guinea", "Republikken Ekvatorial-Guinea", "Republiken Ekvatorialguinea", "Ækvatorialguinea", "Republikken Ækvatorialguinea", "Equatoriaal-Guinea", "Republiek Equatoriaal-Guinea", "Gwinea Równikowa", "Republika Gwinei Równikowej", "Äquatorialguinea", "Republik Äquatorialguinea"]),
    ("GR", &["GRC", "Greece", "Hellenic Republic", "Hellas", "Republikken Hellas", "Grekland", "Hellenska republiken", "Grækenland", "Den Hellenske Republik", "Griekenland", "Helleense Republiek", "Grecja", "Republika Grecka", "Griechenland", "Hellenische Republik"]),
    ("GS", &["SGS", "South Georgia and the South Sandwich Islands", "Sør-Georgia og Sør-Sandwichøyene", "Sør-Georgia og dei sørlege Sandwichøyane", "Sydgeorgien och södra Sandwichöarna", "South Georgia og De Sydlige Sandwichøer", "Zuid-Georgia en de Zuidelijke Sandwicheilanden", "Georgia Południowa i Sandwich Południowy", "South Georgia und die Südlichen Sandwichinseln"]),
    ("GT", &["GTM", "Guatemala", "Republic of Guatemala", "Republikken Guatemala", "Republiken Guatemala", "Republiek Guatemala", "Gwatemala", "Republika Gwatemali", "Republik Guatemala"]),
    ("GU", &["GUM", "Guam"]),
    ("GW", &["GNB", "Guinea-Bissau", "Republic of Guinea-Bissau", "Republikken Guinea-Bissau", "Republiken Guinea-Bissau", "Guinee-Bissau", "Republiek Guinee-Bissau", "Gwinea Bissau", "Republika Gwinei Bissau", "Republik Guinea-Bissau"]),
    ("GY", &["GUY", "Guyana", "Republic of Guyana", "Den kooperative republikk Guyana", "Den kooperative republikken Guyana", "Republiken Guyana", "Republikken Guyana", "Republiek Guyana", "Gujana", "Republika Gujany", "Kooperative Republik Guyana"]),
    ("HK", &["HKG", "Hong Kong", "Hong Kong Special Administrative Region of China", "Hong Kong spesielle administrative region av Kina", "Hong Kong, særskilt administrativ region i Kina", "Särskilda administrativa regionen Hong Kong inom Kina", "Det Særlige Administrative Område Hongkong", "Speciale Administratieve Regio Hongkong van de Volksrepubliek China", "Hongkong - Specjalny Region Administracyjny Chińskiej Republiki Ludowej", "Sonderverwaltungsregion Hongkong"]),
    ("HM", &["HMD", "Heard Island and McDonald Islands", "Heard- og McDonaldøyene", "Heard- og McDonaldøyane", "Heardön och McDonaldöarna", "Heard-øen og McDonald-øerne", "Heardeiland en McDonaldeilanden", "Wyspy Heard i McDonalda", "Heard und McDonaldinseln"]),
    ("HN", &["HND", "Honduras", "Republic of Honduras", "Republikken Honduras", "Republiken Honduras", "Republiek Honduras", "Republika Hondurasu", "Republik Honduras"]),
    ("HR", &["HRV", "Croatia", "Republic of Croatia", "Kroatia", "Republikken Kroatia", "Kroatien", "Republiken Kroatien", "Republikken Kroatien", "Kroatië", "Republiek Kroatië", "Chorwacja", "Republika Chorwacji", "Republik Kroatien"]),
    ("HT", &["HTI", "Haiti", "Republic of Haiti", "Republikken Haiti", "Republiken Haiti", "Republiek Haïti", "Republika Haiti", "Republik Haiti"]),
    ("HU", &["HUN", "Hungary", "Ungarn", "Ungern", "Hongarije", "Węgry", "Magyarország"]),
    ("ID", &["IDN", "Indonesia", "Republic of Indonesia", "Republikken Indonesia", "Indonesien", "Republiken Indonesien", "Republikken Indonesien", "Indonesië", "Republiek Indonesië", "Indonezja", "Republika Indonezji", "Republik Indonesien"]),
    ("IE", &["IRL", "Ireland", "Irland", "Ierland", "Irlandia", "Eire"]),
    ("IL", &["ISR", "Israel", "State of Israel", "Staten Israel", "Staat Israël", "Izrael", "Państwo Izrael"]),
    ("IM", &["IMN", "Isle of Man", "Man", "Øya Man", "Eiland Man", "Wyspa Man", "Insel Man"]),
    ("IN", &["IND", "India", "Republic of India", "Republikken India", "Indien", "Republiken Indien", "Republikken Indien", "Republiek India", "Indie", "Republika Indii", "Republik Indien"]),
    ("IO", &["IOT", "British Indian Ocean Territory", "Det britiske territoriet i Indiahavet", "Det britiske området i Indiahavet", "Brittiskt territorium i Indiska Oceanen", "Det britiske territorium i Det Indiske Ocean", "Brits Indische Oceaanterritorium", "Brytyjskie Terytorium Oceanu Indyjskiego", "Britisches Territorium im Indischen Ozean"]),
    ("IQ", &["IRQ", "Iraq", "Republic of Iraq", "Irak", "Republikken Irak", "Republiken Irak", "Republiek Irak", "Republika Iracka", "Republik Irak"]),
    ("IR", &["IRN", "Iran, Islamic Republic of", "Islamic Republic of Iran", "Iran", "Iran, Den islamske republikk", "Den islamske republikk Iran", "Iran, islamiska republiken", "Islamiska republiken Iran", "Iran, Den Islamiske Republik", "Den Islamiske Republik Iran", "Islamitische Republiek Iran", "Iran, Islamska Republika", "Islamska Republika Iranu", "Iran, Islamische Republik", "Islamische Republik Iran"]),
    ("IS", &["ISL", "Iceland", "Republic of Iceland", "Island", "Republikken Island", "Republiken Island", "IJsland", "Republiek IJsland", "Islandia", "Republika Islandii", "Republik Island"]),
    ("IT", &["ITA", "Italy", "Italian Republic", "Italia", "Republikken Italia", "Italien", "Italienska republiken", "Den Italienske Republik", "Italië", "Italiaanse Republiek", "Włochy", "Republika Włoska", "Italienische Republik"]),
    ("JE", &["JEY", "Jersey"]),
    ("JM", &["JAM", "Jamaica", "Jamajka", "Jamaika"]),
    ("JO", &["JOR", "Jordan", "Hashemite Kingdom of Jordan", "Det hasjimittiske kongerike Jordan", "Det hasjimittiske kongeriket Jordan", "Jordanien", "Hashemitiska konungariket Jordanien", "Det Hashemitiske Kongerige Jordan", "Jordanië", "Hasjemitisch Koninkrijk Jordanië", "Jordania", "Haszymidzkie Królestwo Jordanii", "Haschemitisches Königreich Jordanien"]),
    ("JP", &["JPN", "Japan", "Japonia"]),
    ("KE", &["KEN", "Kenya", "Republic of Kenya", "Republikken Kenya", "Republiken Kenya", "Kenia", "Republiek Kenia", "Republika Kenii", "Republik Kenia"]),
    ("KG", &["KGZ", "Kyrgyzstan", "Kyrgyz Republic", "Kirgisistan", "Republikken Kirgisistan", "Kirgizistan", "Kirgisiska republiken", "Den Kirgisiske Republik", "Kirgizië", "Kirgizische Republiek", "Kirgistan", "Republika Kirgiska", "Kirgisische Republik"]),
    ("KH", &["KHM", "Cambodia", "Kingdom of Cambodia", "Kambodsja", "Kongeriket Kambodsja", "Kongedømet Kambodsja", "Kambodja", "Konungariket Kambodja", "Cambodja", "Kongeriget Cambodia", "Koninkrijk Cambodja", "Kambodża", "Królestwo Kambodży", "Kambodscha", "Königreich Kambodscha"]),
    ("KI", &["KIR", "Kiribati", "Republic of Kiribati", "Republiken Kiribati", "Republikken Kiribati", "Republiek Kiribati", "Republika Kiribati", "Republik Kiribati"]),
    ("KM", &["COM", "Comoros", "Union of the Comoros", "Komorene", "Den islamske forbundsrepublikk Komorene", "Komorane", "Unionen Komorane", "Comorerna", "Unionen Comorerna", "Comorerne", "Unionen Comorerne", "Comoren", "Unie van de Comoren", "Komory", "Związek Komorów", "Komoren", "Vereinigung der Komoren"]),
    ("KN", &["KNA", "Saint Kitts and Nevis", "Saint Kitts og Nevis", "St. Kitts og Nevis", "Sankt Kitts och Nevis", "Sankt Kitts og Nevis", "Saint Kitts en Nevis", "Saint Kitts i Nevis", "St. Kitts und Nevis"]),
    ("KP", &["PRK", "Korea, Democratic People's Republic of", "Democratic People's Republic of Korea", "North Korea", "Korea, Den demokratiske folkerepublikk", "Den demokratiske folkerepublikk Korea", "Nord-Korea", "Den demokratiske folkerepublikken Korea", "Korea, demokratiska folkrepubliken", "Demokratiska folkrepubliken Korea", "Korea, Den Demokratiske Folkerepublik", "Den Demokratiske Folkerepublik Korea", "Korea, Democratische Volksrepubliek", "Democratische Volksrepubliek Korea", "Noord-Korea", "Korea - Republika Ludowo-Demokratyczna", "Koreańska Republika Ludowo-Demokratyczna", "Korea Północna", "Korea, Demokratische Volksrepublik", "Demokratische Volksrepublik Korea"]),
    ("KR", &["KOR", "Korea, Republic of", "South Korea", "Korea, Republikken", "Sør-Korea", "Sydkorea", "Korea, Republiek", "Zuid-Korea", "Republika Korei", "Korea Południowa", "Korea, Republik", "Südkorea", "Republic of Korea"]),
    ("KW", &["KWT", "Kuwait", "State of Kuwait", "Staten Kuwait", "Koeweit", "Staat Koeweit", "Kuwejt", "Państwo Kuwejt", "Staat Kuwait"]),
    ("KY", &["CYM", "Cayman Islands", "Caymanøyene", "Caymanøyane", "Caymanöarna", "Caymanøerne", "Kaaimaneilanden", "Kajmany", "Cayman-Inseln"]),
    ("KZ", &["KAZ", "Kazakhstan", "Republic of Kazakhstan", "Kasakhstan", "Republikken Kasakhstan", "Kazakstan", "Republiken Kazakstan", "Kazachstan", "Republiek Kazachstan", "Republika Kazachstanu", "Kasachstan", "Republik Kasachstan"]),
    ("LA", &["LAO", "Lao People's Democratic Republic", "Laos", "Den demokratiske folkerepublikk Laos", "Demokratiska folkrepubliken Lao", "Lao, Folkets Demokratiske Republik", "Laos Democratische Volksrepubliek", "Laotańska Republika Ludowo-Demokratyczna", "Laos, Demokratische Volksrepublik"]),
    ("LB", &["LBN", "Lebanon", "Lebanese Republic", "Libanon", "Republikken Libanon", "Libanesiska republiken", "Den Libanesiske Republik", "Republiek Libanon", "Liban", "Republika Libańska", "Libanesische Republik"]),
    ("LC", &["LCA", "Saint Lucia", "St. Lucia", "Sankt Lucia"]),
    ("LI", &["LIE", "Liechtenstein", "Principality of Liechtenstein", "Fyrstedømmet Liechtenstein", "Fyrstedømet Liechtenstein", "Furstendömet Liechtenstein", "Fyrstendømmet Liechtenstein", "Vorstendom Liechtenstein", "Księstwo Liechtenstein", "Fürstentum Liechtenstein"]),
    ("LK", &["LKA", "Sri Lanka", "Democratic Socialist Republic of Sri Lanka", "Den demokratiske sosialistiske republikk Sri Lanka", "Demokratiska socialistrepubliken Sri Lanka", "Den Demokratiske Socialistiske Republik Sri Lanka", "Democratische Socialistische Republiek Sri Lanka", "Demokratyczno-Socjalistyczna Republika Sri Lanki", "Demokratische sozialistische Republik Sri Lanka"]),
    ("LR", &["LBR", "Liberia", "Republic of Liberia", "Republikken Liberia", "Republiken Liberia", "Republiek Liberia", "Republika Liberii", "Republik Liberia"]),
    ("LS", &["LSO", "Lesotho", "Kingdom of Lesotho", "Kongeriket Lesotho", "Konungariket Lesotho", "Kongeriget Lesotho", "Koninkrijk Lesotho", "Królestwo Lesoto", "Königreich Lesotho"]),
    ("LT", &["LTU", "Lithuania", "Republic of Lithuania", "Litauen", "Republikken Litauen", "Republiken Litauen", "Litouwen", "Republiek Litouwen", "Litwa", "Republika Litewska", "Republik Litauen", "Litva", "Lietuva"]),
    ("LU", &["LUX", "Luxembourg", "Grand Duchy of Luxembourg", "Storhertugdømmet Luxembourg", "Luxemburg", "Storhertugdømet Luxembourg", "Storhertigdömet Luxemburg", "Groothertogdom Luxemburg", "Luksemburg", "Wielkie Księstwo Luksemburg", "Großherzogtum Luxemburg"]),
    ("LV", &["LVA", "Latvia", "Republic of Latvia", "Republikken Latvia", "Lettland", "Republiken Lettland", "Letland", "Republikken Letland", "Republiek Letland", "Łotwa", "Republika Łotewska", "Republik Lettland"]),
    ("LY", &["LBY", "Libya", "Libyen", "Libië", "Libia"]),
    ("MA", &["MAR", "Morocco", "Kingdom of Morocco", "Marokko", "Kongeriket Marokko", "Marocko", "Konungariket Marocko", "Kongeriget Marokko", "Koninkrijk Marokko", "Maroko", "Królestwo Maroka", "Königreich Marokko"]),
    ("MC", &["MCO", "Monaco", "Principality of Monaco", "Fyrstedømmet Monaco", "Fyrstedømet Monaco", "Furstendömet Monaco", "Fyrstendømmet Monaco", "Vorstendom Monaco", "Monako", "Księstwo Monako", "Fürstentum Monaco"]),
    ("MD", &["MDA", "Moldova, Republic of", "Republic of Moldova", "Moldova", "Moldova, Republikken", "Republikken Moldova", "Moldavien, republiken", "Republiken Moldavien", "Moldavien", "Moldavië, Republiek", "Republiek Moldavië", "Moldavië", "Mołdawia - Republika", "Republika Mołdawii", "Mołdawia", "Moldau, Republik", "Republik Moldau", "Moldau"]),
    ("ME", &["MNE", "Montenegro", "Czarnogóra"]),
    ("MF", &["MAF", "Saint Martin (French part)", "Saint Martin (fransk del)", "Saint Martin (franska delen)", "Sankt Martin (Fransk del)", "Sint-Maarten (Frans deel)", "Saint-Martin (część francuska)", "Saint Martin (Französischer Teil)"]),
    ("MG", &["MDG", "Madagascar", "Republic of Madagascar", "Madagaskar", "Republikken Madagaskar", "Republiken Madagaskar", "Republiek Madagaskar", "Republika Madagaskaru", "Republik Madagaskar"]),
    ("MH", &["MHL", "Marshall Islands", "Republic of the Marshall Islands", "Marshalløyene", "Republikken Marshalløyene", "Marshalløyane", "Republikken Marshalløyane", "Marshallöarna", "Republiken Marshallöarna", "Marshalløerne", "Republikken Marshalløerne", "Marshalleilanden", "Republiek der Marshalleilanden", "Wyspy Marshalla", "Republika Wysp Marshalla", "Marshallinseln", "Republik Marshallinseln"]),
    ("MK", &["MKD", "North Macedonia", "Republic of North Macedonia", "Nord-Makedonia", "Republikken Nord-Makedonia", "Nordmakedonien", "Republiken Nordmakedonien", "Republikken Nordmakedonien", "Noord-Macedonië", "Republiek Noord-Macedonië", "Macedonia Północna", "Republika Macedonii Północnej", "Nordmazedonien", "Republik Nordmazedonien", "Macedonia", "Makedonia", "Makedonien"]),
    ("ML", &["MLI", "Mali", "Republic of Mali", "Republikken Mali", "Republiken Mali", "Republiek Mali", "Republika Mali", "Republik Mali"]),
    ("MM", &["MMR", "Myanmar", "Republic of Myanmar", "Republikken Myanmarunionen", "Republiken Myanmar", "Burma", "Republikken Burma", "Republiek Myanmar", "Mjanma", "Republika Związku Mjanmy", "Republik Myanmar"]),
    ("MN", &["MNG", "Mongolia", "Mongoliet", "Mongolië", "Mongolei"]),
    ("MO", &["MAC", "Macao", "Macao Special Administrative Region of China", "Macao spesielle administrative region av Kina", "Macao særskilt administrativ region i Kina", "Särskilda administrativa regionen Macao inom Kina", "Det Særlige Administrative Område Macao", "Macau", "Speciale Administratieve Regio Macau van de Volksrepubliek China", "Makau", "Makau - Specjalny Region Administracyjny Chińskiej Republiki Ludowej", "Sonderverwaltungsregion Macao"]),
    ("MP", &["MNP", "Northern Mariana Islands", "Commonwealth of the Northern Mariana Islands", "Nord-Marianene", "Samveldet Nord-Marianene", "Nord-Marianane", "Nordmarianerna", "Samväldet nordmarianerna", "Nordmarianerne", "Noordelijke Marianen", "Gemenebest van de Noordelijke Marianen", "Mariany Północne", "Wspólnota Marianów Północnych", "Nördliche Marianen", "Commonwealth Nördliche Mariana-Inseln"]),
    ("MQ", &["MTQ", "Martinique", "Martynika"]),
    ("MR", &["MRT", "Mauritania", "Islamic Republic of Mauritania", "Den islamske republikk Mauretania", "Den islamske republikken Mauretania", "Mauretanien", "Islamiska republiken Mauretanien", "Den Islamiske Republik Mauretanien", "Mauritanië", "Islamitische Republiek Mauritanië", "Mauretania", "Mauretańska Republika Islamska", "Islamische Republik Mauretanien"]),
    ("MS", &["MSR", "Montserrat"]),
    ("MT", &["MLT", "Malta", "Republic of Malta", "Republikken Malta", "Republiken Malta", "Republiek Malta", "Republika Malty", "Republik Malta"]),
    ("MU", &["MUS", "Mauritius", "Republic of Mauritius", "Republikken Mauritius", "Republiken Mauritius", "Republiek Mauritius", "Republika Mauritiusa", "Republik Mauritius"]),
    ("MV", &["MDV", "Maldives", "Republic of Maldives", "Maldivene", "Republikken Maldivene", "Maldivane", "Republikken Maldivane", "Maldiverna", "Republiken Maldiverna", "Maldiverne", "Republikken Maldiverne", "Maldiven", "Republiek der Maldiven", "Malediwy", "Republika Malediwów", "Malediven", "Republik Malediven"]),
    ("MW", &["MWI", "Malawi", "Republic of Malawi", "Republikken Malawi", "Republiken Malawi", "Republiek Malawi", "Republika Malawi", "Republik Malawi"]),
    ("MX", &["MEX", "Mexico", "United Mexican States", "De forente stater Mexico", "Dei sameinte statane Mexico", "Mexiko", "Förenade mexikanska staterna", "De Forenede Mexicanske Stater", "Verenigde Mexicaanse Staten", "Meksyk", "Stany Zjednoczone Meksyku", "Vereinigte Mexikanische Staaten"]),
    ("MY", &["MYS", "Malaysia", "Maleisië", "Malezja"]),
    ("MZ", &["MOZ", "Mozambique", "Republic of Mozambique", "Mosambik", "Republikken Mosambik", "Moçambique", "Republiken Moçambique", "Republikken Mozambique", "Republiek Mozambique", "Mozambik", "Republika Mozambiku", "Republik Mosambik"]),
    ("NA", &["NAM", "Namibia", "Republic of Namibia", "Republikken Namibia", "Republiken Namibia", "Namibië", "Republiek Namibië", "Republika Namibii", "Republik Namibia"]),
    ("NC", &["NCL", "New Caledonia", "Ny-Caledonia", "Nya Kaledonien", "Ny Kaledonien", "Nieuw-Caledonië", "Nowa Kaledonia", "Neukaledonien"]),
    ("NE", &["NER", "Niger", "Republic of the Niger", "Republikken Niger", "Republiken Niger", "Republiek Niger", "Republika Nigru", "Republik Niger"]),
    ("NF", &["NFK", "Norfolk Island", "Norfolkøya", "Norfolköarna", "Norfolk Øen", "Norfolk", "Wyspy Norfolk", "Norfolkinsel"]),
    ("NG", &["NGA", "Nigeria", "Federal Republic of Nigeria", "Forbundsrepublikken Nigeria", "Sambandsrepublikken Nigeria", "Förbundsrepubliken Nigeria", "Federale Republiek Nigeria", "Federacyjna Republika Nigerii", "Bundesrepublik Nigeria"]),
    ("NI", &["NIC", "Nicaragua", "Republic of Nicaragua", "Republikken Nicaragua", "Republiken Nicaragua", "Republiek Nicaragua", "Nikaragua", "Republika Nikaragui", "Republik Nicaragua"]),
    ("NL", &["NLD", "Netherlands", "Kingdom of the Netherlands", "Nederland", "Kongeriket Nederland", "Nederländerna", "Konungariket Nederländerna", "Holland", "Kongeriget Nederlandene", "Koninkrijk der Nederlanden", "Holandia", "Królestwo Holandii", "Niederlande", "Königreich der Niederlande", "The Netherlands", "Nederlandene"]),
    ("NO", &["NOR", "Norway", "Kingdom of Norway", "Norge", "Kongeriket Norge", "Noreg", "Kongeriket Noreg", "Konungariket Norge", "Kongeriget Norge", "Noorwegen", "Koninkrijk Noorwegen", "Norwegia", "Królestwo Norwegii", "Norwegen", "Königreich Norwegen"]),
    ("NP", &["NPL", "Nepal", "Federal Democratic Republic of Nepal", "Den føderale demokratiske republikk Nepal", "Den føderale demokratiske republikken Nepal", "Demokratiska förbundsrepubliken Nepal", "Den Føderale Demokratiske Republik Nepal", "Federale Democratische Republiek van Nepal", "Federalna Demokratyczna Republika Nepalu", "Demokratische Bundesrepublik Nepal"]),
    ("NR", &["NRU", "Nauru", "Republic of Nauru", "Republikken Nauru", "Republiken Nauru", "Republikken auru", "Republiek Nauru", "Republika Nauru", "Republik Nauru"]),
    ("NU", &["NIU", "Niue"]),
    ("NZ", &["NZL", "New Zealand", "Nya Zeeland", "Nieuw-Zeeland", "Nowa Zelandia", "Neuseeland"]),
    ("OM", &["OMN", "Oman", "Sultanate of Oman", "Sultanatet Oman", "Sultanaat Oman", "Sułtanat Omanu", "Sultanat Oman"]),
    ("PA", &["PAN", "Panama", "Republic of Panama", "Republikken Panama", "Republiken Panama", "Republiek Panama", "Republika Panamy", "Republik Panama"]),
    ("PE", &["PER", "Peru", "Republic of Peru", "Republikken Peru", "Republiken Peru", "Republiek Peru", "Republika Peru", "Republik Peru"]),
    ("PF", &["PYF", "French Polynesia", "Fransk Polynesia", "Franska Polynesien", "Fransk Polynesien", "Frans-Polynesië", "Polinezja Francuska", "Französisch-Polynesien"]),
    ("PG", &["PNG", "Papua New Guinea", "Independent State of Papua New Guinea", "Papua Ny-Guinea", "Den uavhengige staten Papua Ny-Guinea", "Papua Nya Guinea", "Oberoende staten Papua Nya Guinea", "Den Uafhængige Stat Papua Ny Guinea", "Papoea-Nieuw-Guinea", "Onafhankelijke Staat Papua Nieuw Guinea", "Papua-Nowa Gwinea", "Niezależne Państwo Papui-Nowej Gwinei", "Papua-Neuguinea", "Unabhängiger Staat Papua-Neuguinea"]),
    ("PH", &["PHL", "Philippines", "Republic of the Philippines", "Filippinene", "Republikken Filippinene", "Filippinane", "Republikken Filippinane", "Filippinerna", "Republiken Filippinerna", "Filippinerne", "Republikken Filippinerne", "Filipijnen", "Republiek der Filipijnen", "Filipiny", "Republika Filipin", "Philippinen", "Republik der Philippinen"]),
    ("PK", &["PAK", "Pakistan", "Islamic Republic of Pakistan", "Den islamske republikk Pakistan", "Den islamske republikken Pakistan", "Islamiska republiken Pakistan", "Den Islamiske Republik Pakistan", "Islamitische Republiek Pakistan", "Islamska Republika Pakistanu", "Islamische Republik Pakistan"]),
    ("PL", &["POL", "Poland", "Republic of Poland", "Polen", "Republikken Polen", "Republiken Polen", "Republiek Polen", "Polska", "Rzeczpospolita Polska", "Republik Polen"]),
    ("PM", &["SPM", "Saint Pierre and Miquelon", "Saint-Pierre og Miquelon", "Saint-Pierre-et-Miquelon", "Sankt Pierre och Miquelon", "Sankt Pierre og Miquelon", "Saint-Pierre en Miquelon", "Saint-Pierre i Miquelon", "St. Pierre und Miquelon"]),
    ("PN", &["PCN", "Pitcairn", "Pitcairneilanden"]),
    ("PR", &["PRI", "Puerto Rico", "Portoryko"]),
    ("PS", &["PSE", "Palestine, State of", "the State of Palestine", "Palestina, staten", "Staten Palestina", "Palestina", "Palæstina, staten", "Staten Palæstina", "Palestina, Staat", "Staat Palestina", "Palestyna (państwo)", "Państwo Palestyna", "Palästina, Staat", "Staat Palästina", "Palestine"]),
    ("PT", &["PRT", "Portugal", "Portuguese Republic", "Republikken Portugal", "Portugual", "Portugisiska republiken", "Den Portugisiske Republik", "Portugese Republiek", "Portugalia", "Republika Portugalska", "Portugiesische Republik"]),
    ("PW", &["PLW", "Palau", "Republic of Palau", "Republikken Palau", "Republiken Palau", "Republiek Palau", "Republika Palau", "Republik Palau"]),
    ("PY", &["PRY", "Paraguay", "Republic of Paraguay", "Republikken Paraguay", "Republiken Paraguay", "Republiek Paraguay", "Paragwaj", "Republika Paragwaju", "Republik Paraguay"]),
    ("QA", &["QAT", "Qatar", "State of Qatar", "Staten Qatar", "Staat Qatar", "Katar", "Państwo Kataru", "Staat Katar"]),
    ("RE", &["REU", "Réunion"]),
    ("RO", &["ROU", "Romania", "Rumänien", "Rumænien", "Roemenië", "Rumunia"]),
    ("RS", &["SRB", "Serbia", "Republic of Serbia", "Republikken Serbia", "Serbien", "Republiken Serbien", "Republikken Serbien", "Servië", "Republiek Servië", "Republika Serbii", "Republik Serbien"]),
    ("RU", &["RUS", "Russian Federation", "Den russiske føderasjon", "Russland", "Ryska federationen", "Russiske føderation", "Rusland", "Federacja Rosyjska", "Russische Föderation", "Russia", "Ryssland", "Rosja"]),
    ("RW", &["RWA", "Rwanda", "Rwandese Republic", "Republikken Rwanda", "Rwandiska republiken", "Den Rwandiske Republik", "Republiek Rwanda", "Ruanda", "Republika Ruandyjska", "Republik Ruanda"]),
    ("SA", &["SAU", "Saudi Arabia", "Kingdom of Saudi Arabia", "Kongeriket Saudi-Arabia", "Saudiarabien", "Konungariket Saudiarabien", "Kongeriget Saudi-Arabien", "Saoedi-Arabië", "Koninkrijk Saudi-Arabië", "Arabia Saudyjska", "Królestwo Arabii Saudyjskiej", "Königreich Saudi-Arabien"]),
    ("SB", &["SLB", "Solomon Islands", "Salomonøyene", "Salomonøyane", "Salomonöarna", "Salomonøerne", "Salomonseilanden", "Wyspy Salomona", "Salomoninseln"]),
    ("SC", &["SYC", "Seychelles", "Republic of Seychelles", "Seychellene", "Republikken Seychellene", "Seychellane", "Republikken Seychellane", "Seychellerna", "Republiken Seychellerna", "Seychellerne", "Republikken Seychellerne", "Seychellen", "Republiek Seychellen", "Seszele", "Republika Seszeli", "Republik Seychellen"]),
    ("SD", &["SDN", "Sudan", "Republic of the Sudan", "Republikken Sudan", "Republiken Sudan", "Soedan", "Republiek Soedan", "Republika Sudanu", "Republik Sudan"]),
    ("SE", &["SWE", "Sweden", "Kingdom of Sweden", "Sverige", "Kongeriket Sverige", "Konungariket Sverige", "Kongeriget Sverige", "Zweden", "Koninkrijk Zweden", "Szwecja", "Królestwo Szwecji", "Schweden", "Königreich Schweden"]),
    ("SG", &["SGP", "Singapore", "Republic of Singapore", "Republikken Singapore", "Republiken Singapore", "Republiek Singapore", "Singapur", "Republika Singapuru", "Republik Singapur"]),
    ("SH", &["SHN", "Saint Helena, Ascension and Tristan da Cunha", "Saint Helena, Ascension og Tristan da Cunha", "St. Helena, Ascension og Tristan da Cunha", "Saint Helena, Ascension och Tristan da Cunha", "Sankt Helena, Ascension og Tristan da Cunha", "Sint-Helena, Ascension en Tristan da Cunha", "Wyspa Świętej Heleny, Wyspa Wniebowstąpienia i Tristan da Cunha", "St. Helena, Ascension und Tristan da Cunha"]),
    ("SI", &["SVN", "Slovenia", "Republic of Slovenia", "Republikken Slovenia", "Slovenien", "Republiken Slovenien", "Republikken Slovenien", "Slovenië", "Republiek Slovenië", "Słowenia", "Republika Słowenii", "Slowenien", "Republik Slowenien"]),
    ("SJ", &["SJM", "Svalbard and Jan Mayen", "Svalbard og Jan Mayen", "Svalbard och Jan Mayen", "Spitsbergen en Jan Mayen", "Svalbard i Jan Mayen", "Svalbard und Jan Mayen"]),
    ("SK", &["SVK", "Slovakia", "Slovak Republic", "Den slovakiske republikk", "Den slovakiske republikken", "Slovakien", "Slovakiska republiken", "Slovakiet", "Den Slovakiske Republik", "Slowakije", "Slovaakse Republiek", "Słowacja", "Republika Słowacka", "Slowakei", "Slowakische Republik"]),
    ("SL", &["SLE", "Sierra Leone", "Republic of Sierra Leone", "Republikken Sierra Leone", "Republiken Sierra Leone", "Republiek Sierra Leone", "Republika Sierra Leone", "Republik Sierra Leone"]),
    ("SM", &["SMR", "San Marino", "Republic of San Marino", "Republikken San Marino", "Republiken San Marino", "Republiek San Marino", "Republika San Marino", "Republik San Marino"]),
    ("SN", &["SEN", "Senegal", "Republic of Senegal", "Republikken Senegal", "Republiken Senegal", "Republiek Senegal", "Republika Senegalu", "Republik Senegal"]),
    ("SO", &["SOM", "Somalia", "Federal Republic of Somalia", "Forbundsrepublikken Somalia", "Förbundsrepubliken Somalia", "Somalië", "Federale Republiek Somalië", "Federalna Republika Somalii", "Bundesrepublik Somalia"]),
    ("SR", &["SUR", "Suriname", "Republic of Suriname", "Surinam", "Republikken Surinam", "Republiken Surinam", "Republiek Suriname", "Republika Surinamu", "Republik Suriname"]),
    ("SS", &["SSD", "South Sudan", "Republic of South Sudan", "Sør-Sudan", "Republikken Sør-Sudan", "Sydsudan", "Republiken Sydsudan", "Republikken Sydsudan", "Zuid-Soedan", "Republiek Zuid-Soedan", "Sudan Południowy", "Republika Sudanu Południowego", "Südsudan", "Republik Südsudan"]),
    ("ST", &["STP", "Sao Tome and Principe", "Democratic Republic of Sao Tome and Principe", "São Tomé og Príncipe", "Den demokratiske republikk São Tomé og Príncipe", "Den demokratiske republikken São Tomé og Príncipe", "São Tomé och Príncipe", "Demokratiska republiken São Tomé och Príncipe", "Den Demokratiske Republik São Tomé og Príncipe", "Sao Tomé en Principe", "Democratische Republiek Sao Tomé en Principe", "Wyspy Świętego Tomasza i Książęca", "Demokratyczna Republika Wysp Św. Tomasza i Książęcej", "São Tomé und Príncipe", "Demokratische Republik São Tomé und Príncipe"]),
    ("SV", &["SLV", "El Salvador", "Republic of El Salvador", "Republikken El Salvador", "Republiken El Salvador", "Republiek El Salvador", "Salwador", "Republika Salwadoru", "Republik El Salvador"]),
    ("SX", &["SXM", "Sint Maarten (Dutch part)", "Sint Maarten (nederlandsk del)", "Sint Maarten (nederländska delen)", "Sint Maarten (hollandsk del)", "Sint Maarten (Nederlands deel)", "Sint Maarten (część holenderska)", "Saint-Martin (Niederländischer Teil)"]),
    ("SY", &["SYR", "Syrian Arab Republic", "Syria", "Den arabiske republikk Syria", "Syriska arabrepubliken", "Syrien", "Syriske Arabiske Republik", "Syrië", "Syryjska Republika Arabska", "Syrien, Arabische Republik"]),
    ("SZ", &["SWZ", "Eswatini", "Kingdom of Eswatini", "Eswatini (tidligere Swasiland)", "Kongeriket Eswatini", "Swaziland", "Konungariket Eswatini", "Kongeriget Eswatini", "Koninkrijk Eswatini", "Królestwo Eswatini", "Königreich Eswatini"]),
    ("TC", &["TCA", "Turks and Caicos Islands", "Turks- og Caicosøyene", "Turks- og Caicosøyane", "Turks- och Caicosöarna", "Turks- og Caicosøerne", "Turks- en Caicoseilanden", "Turks i Caicos", "Turks- und Caicosinseln"]),
    ("TD", &["TCD", "Chad", "Republic of Chad", "Tsjad", "Republikken Tsjad", "Tchad", "Republiken Tchad", "Republikken Tchad", "Tsjaad", "Republiek Tsjaad", "Czad", "Republika Czadu", "Tschad", "Republik Tschad"]),
    ("TF", &["ATF", "French Southern Territories", "Franske sørlige territorier", "Franske sørlege territorium", "Franska sydterritorierna", "Sydlige Franske Territorier", "Franse Zuidelijke Gebieden", "Francuskie Terytoria Południowe", "Französische Süd- und Antarktisgebiete"]),
    ("TG", &["TGO", "Togo", "Togolese Republic", "Republikken Togo", "Togolesiska republiken", "Den Togolesiske Republik", "Republiek Togo", "Republika Togijska", "Republik Togo"]),
    ("TH", &["THA", "Thailand", "Kingdom of Thailand", "Kongeriket Thailand", "Konungariket Thailand", "Kongeriget Thailand", "Koninkrijk Thailand", "Tajlandia", "Królestwo Tajlandii", "Königreich Thailand"]),
    ("TJ", &["TJK", "Tajikistan", "Republic of Tajikistan", "Tadsjikistan", "Republikken Tadsjikistan", "Tadzjikistan", "Republiken Tadzjikistan", "Republiek Tadzjikistan", "Tadżykistan", "Republika Tadżykistanu", "Tadschikistan", "Republik Tadschikistan"]),
    ("TK", &["TKL", "Tokelau"]),
    ("TL", &["TLS", "Timor-Leste", "Democratic Republic of Timor-Leste", "Øst-Timor", "Folkerepublikken Øst-Timor", "Aust-Timor", "Den demokratiske republikken Aust-Timor", "Demokratiska republiken Östtimor", "Den Demokratiske Republik Timor-Leste", "Oost-Timor", "Democratische Republiek Oost-Timor", "Timor Wschodni", "Demokratyczna Republika Timoru Wschodniego", "Demokratische Republik Timor-Leste", "East Timor"]),
    ("TM", &["TKM", "Turkmenistan"]),
    ("TN", &["TUN", "Tunisia", "Republic of Tunisia", "Republikken Tunisia", "Tunisien", "Republiken Tunisien", "Tunesien", "Den Tunesiske Republik", "Tunesië", "Republiek Tunesië", "Tunezja", "Republika Tunezyjska", "Tunesische Republik"]),
    ("TO", &["TON", "Tonga", "Kingdom of Tonga", "Kongeriket Tonga", "Konungariket Tonga", "Kongeriget Tonga", "Koninkrijk Tonga", "Królestwo Tonga", "Königreich Tonga"]),
    ("TR", &["TUR", "Türkiye", "Republic of Türkiye", "Turkiet", "Republiken Turkiet", "Turkije", "Republiek Turkije", "Turcja", "Republika Turcji", "Türkei", "Republik Türkei", "Turkey", "Tyrkia", "Tyrkiet"]),
    ("TT", &["TTO", "Trinidad and Tobago", "Republic of Trinidad and Tobago", "Trinidad og Tobago", "Republikken Trinidad og Tobago", "Trinidad och Tobago", "Republiken Trinidad och Tobago", "Trinidad en Tobago", "Republiek Trinidad en Tobago", "Trynidad i Tobago", "Republika Trynidadu i Tobago", "Trinidad und Tobago", "Republik Trinidad und Tobago"]),
    ("TV", &["TUV", "Tuvalu"]),
    ("TW", &["TWN", "Taiwan, Province of China", "Taiwan", "Taiwan, Den kinesiske provins", "Taiwan, provins i Kina", "Tajwan, Prowincja Chińska", "Tajwan", "Taiwan, Chinesische Provinz"]),
    ("TZ", &["TZA", "Tanzania, United Republic of", "United Republic of Tanzania", "Tanzania", "Tanzania, Forbundsrepublikken", "Forbundsrepublikken Tanzania", "Tanzania, förenade republiken", "Förenade republiken Tanzania", "Tanzania, Den Forenede Republik", "Den Forenede Republik Tanzania", "Verenigde Republiek Tanzania", "Tanzania, Zjednoczona Republika", "Zjednoczona Republika Tanzanii", "Tansania, Vereinigte Republik", "Vereinigte Republik Tansania", "Tansania"]),
    ("UA", &["UKR", "Ukraine", "Ukraina", "Oekraïne"]),
    ("UG", &["UGA", "Uganda", "Republic of Uganda", "Republikken Uganda", "Republiken Uganda", "Oeganda", "Republiek Oeganda", "Republika Ugandy", "Republik Uganda"]),
    ("UM", &["UMI", "United States Minor Outlying Islands", "Mindre utenforliggende øyer til USA", "Mindre utanforliggjande øyar til USA", "Förenta staternas mindre öar i Oceanien och Västindien", "USA's ydre småøer", "Kleine afgelegen eilanden van de Verenigde Staten", "Dalekie Wyspy Mniejsze Stanów Zjednoczonych"]),
    ("US", &["USA", "United States", "United States of America", "De forente stater", "Sambandsstatane", "Amerikas förenta stater", "Amerikas Forenede Stater", "Verenigde Staten", "Verenigde Staten van Amerika", "Stany Zjednoczone", "Stany Zjednoczone Ameryki", "Vereinigte Staaten", "Vereinigte Staaten von Amerika", "America", "Amerika", "Ameryka", "Förenta staterna"]),
    ("UY", &["URY", "Uruguay", "Eastern Republic of Uruguay", "Republikken Uruguay", "Östra republiken Uruguay", "Den Østlige Republik Uruguay", "Oostelijke Republiek Uruguay", "Urugwaj", "Wschodnia Republika Urugwaju", "Republik Östlich des Uruguay"]),
    ("UZ", &["UZB", "Uzbekistan", "Republic of Uzbekistan", "Usbekistan", "Republikken Usbekistan", "Republiken Uzbekistan", "Oezbekistan", "Republiek Oezbekistan", "Republika Uzbekistanu", "Republik Usbekistan"]),
    ("VA", &["VAT", "Holy See (Vatican City State)", "Vatikanstaten", "Vaticaanstad, Staat", "Państwo Watykańskie (Stolica Apostolska)", "Heiliger Stuhl (Staat Vatikanstadt)", "Vatican", "Vatican City"]),
    ("VC", &["VCT", "Saint Vincent and the Grenadines", "Saint Vincent og Grenadinene", "Saint Vincent og Grenadinane", "Sankt Vincent och Grenadinerna", "Sankt Vincent og Grenadinerne", "Saint Vincent en de Grenadines", "Saint Vincent i Grenadyny", "St. Vincent und die Grenadinen"]),
    ("VE", &["VEN", "Venezuela, Bolivarian Republic of", "Bolivarian Republic of Venezuela", "Venezuela", "Venezuela, Republikken", "Republikken Venezuela", "Venezuela, Bolivarianska republiken", "Boliviska republiken Venezuela", "Den Bolivariske Republik Venezuela", "Venezuela, Bolivariaanse Republiek", "Bolivariaanse Republiek Venezuela", "Wenezuela - Boliwariańska Republika", "Boliwariańska Republika Wenezueli", "Wenezuela", "Venezuela, Bolivarische Republik", "Bolivarische Republik Venezuela"]),
    ("VG", &["VGB", "Virgin Islands, British", "British Virgin Islands", "Jomfruøyene (Storbritannia)", "De britiske Jomfruøyer", "Jomfruøyane (Storbritannia)", "Jungfruöarna, brittiska", "Brittiska Jungfruöarna", "Britiske Jomfruøer, De", "Maagdeneilanden, Britse", "Britse Maagdeneilanden", "Brytyjskie Wyspy Dziewicze", "Britische Jungferninseln"]),
    ("VI", &["VIR", "Virgin Islands, U.S.", "Virgin Islands of the United States", "Jomfruøyene (USA)", "Jomfruøyane (USA)", "Jungfruöarna, amerikanska", "Amerikanska Jungfruöarna", "Amerikanske Jomfruøer, De", "Maagdeneilanden, Amerikaanse", "Amerikaanse Maagdeneilanden", "Wyspy Dziewicze Stanów Zjednoczonych", "Amerikanische Jungferninseln"]),
    ("VN", &["VNM", "Viet Nam", "Socialist Republic of Viet Nam", "Den sosialistiske republikk Vietnam", "Den sosialistiske republikken Vietnam", "Socialistrepubliken Vietnam", "Den Socialistiske Republik Vietnam", "Socialistische Republiek Vietnam", "Wietnam", "Socjalistyczna Republika Wietnamu", "Sozialistische Republik Vietnam"]),
    ("VU", &["VUT", "Vanuatu", "Republic of Vanuatu", "Republikken Vanuatu", "Republiken Vanatu", "Republiek Vanuatu", "Republika Vanuatu", "Republik Vanuatu"]),
    ("WF", &["WLF", "Wallis and Futuna", "Wallis og Futunaøyene", "Wallis- og Futunaøyane", "Wallis och Futuna", "Wallis og Futunaøerne", "Wallis en Futuna", "Wallis i Futuna", "Wallis und Futuna"]),
    ("WS", &["WSM", "Samoa", "Independent State of Samoa", "Den uavhengige staten Samoa", "Staten Samoa", "Oberoende staten Samoa", "Den Uafhængige Stat Samoa", "Onafhankelijke Staat Samoa", "Niezależne Państwo Samoa", "Unabhängiger Staat Samoa"]),
    ("XK", &["XKX", "Kosovo"]),
    ("YE", &["YEM", "Yemen", "Republic of Yemen", "Jemen", "Republikken Jemen", "Republiken Yemen", "Republikken Yemen", "Republiek Jemen", "Republika Jemenu", "Republik Jemen"]),
    ("YT", &["MYT", "Mayotte", "Majotta"]),
    ("ZA", &["ZAF", "South Africa", "Republic of South Africa", "Sør-Afrika", "Republikken Sør-Afrika", "Sydafrika", "Republiken Sydafrika", "Republikken Sydafrika", "Zuid-Afrika", "Republiek Zuid-Afrika", "Południowa Afryka", "Republika Południowej Afryki", "Südafrika", "Republik Südafrika", "RPA"]),
    ("ZM", &["ZMB", "Zambia", "Republic of Zambia", "Republikken Zambia", "Republiken Zambia", "Republiek Zambia", "Republika Zambii", "Sambia", "Republik Sambia"]),
    ("ZW", &["ZWE", "Zimbabwe", "Republic of Zimbabwe", "Republikken Zimbabwe", "Republiken Zimbabwe", "Republiek Zimbabwe", "Republika Zimbabwe", "Simbabwe", "Republik Simbabwe"]),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::Status;

    #[test]
    fn clean_country_table() {
        let cases = [
            ("NO", Some("NO"), Status::Valid),
            ("  SE ", Some("SE"), Status::Valid),
            ("no", Some("NO"), Status::Fixed),
            ("NOR", Some("NO"), Status::Fixed),
            ("Norway", Some("NO"), Status::Fixed),
            ("Norge", Some("NO"), Status::Fixed),
            ("Noreg", Some("NO"), Status::Fixed),
            ("Norwegen", Some("NO"), Status::Fixed),
            ("Norwegia", Some("NO"), Status::Fixed),
            ("Noorwegen", Some("NO"), Status::Fixed),
            ("Sverige", Some("SE"), Status::Fixed),
            ("Schweden", Some("SE"), Status::Fixed),
            ("Szwecja", Some("SE"), Status::Fixed),
            ("Zweden", Some("SE"), Status::Fixed),
            ("Danmark", Some("DK"), Status::Fixed),
            ("Dänemark", Some("DK"), Status::Fixed),
            ("DANEMARK", Some("DK"), Status::Fixed),
            ("Dania", Some("DK"), Status::Fixed),
            ("Denemarken", Some("DK"), Status::Fixed),
            ("Polska", Some("PL"), Status::Fixed),
            ("Polen", Some("PL"), Status::Fixed),
            ("Deutschland", Some("DE"), Status::Fixed),
            ("Tyskland", Some("DE"), Status::Fixed),
            ("Niemcy", Some("DE"), Status::Fixed),
            ("Duitsland", Some("DE"), Status::Fixed),
            ("UK", Some("GB"), Status::Fixed),
            ("Great Britain", Some("GB"), Status::Fixed),
            ("England", Some("GB"), Status::Fixed),
            ("Scotland", Some("GB"), Status::Fixed),
            ("USA", Some("US"), Status::Fixed),
            ("U.S.A.", Some("US"), Status::Fixed),
            ("United States of America", Some("US"), Status::Fixed),
            ("Holland", Some("NL"), Status::Fixed),
            ("The Netherlands", Some("NL"), Status::Fixed),
            ("the netherlands", Some("NL"), Status::Fixed),
            ("Nederland", Some("NL"), Status::Fixed),
            ("Færøyene", Some("FO"), Status::Fixed),
            ("Faeroyene", Some("FO"), Status::Fixed),
            ("Österreich", Some("AT"), Status::Fixed),
            ("Østerrike", Some("AT"), Status::Fixed),
            ("Côte d'Ivoire", Some("CI"), Status::Fixed),
            ("Cote dIvoire", Some("CI"), Status::Fixed),
            ("Włochy", Some("IT"), Status::Fixed),
            ("Wlochy", Some("IT"), Status::Fixed),
            ("Großbritannien", Some("GB"), Status::Fixed),
            ("Grossbritannien", Some("GB"), Status::Fixed),
            ("Sør-Korea", Some("KR"), Status::Fixed),
            ("Korea, Republic of", Some("KR"), Status::Fixed),
            ("Türkiye", Some("TR"), Status::Fixed),
            ("Turkey", Some("TR"), Status::Fixed),
            ("Aruba", Some("AW"), Status::Fixed),
            ("ZWE", Some("ZW"), Status::Fixed),
            ("Kosovo", Some("XK"), Status::Fixed),
            ("", None, Status::Missing),
            ("  ", None, Status::Missing),
            ("N/A", None, Status::Missing),
            ("Narnia", None, Status::Invalid),
            ("XX", None, Status::Invalid),
            ("...", None, Status::Invalid),
            ("🇳🇴", None, Status::Invalid),
        ];
        for (raw, value, status) in cases {
            let got = clean_country(raw);
            assert_eq!(got.value.as_deref(), value, "value for {raw:?}");
            assert_eq!(got.status, status, "status for {raw:?}");
        }
    }

    #[test]
    fn every_iso_country_is_listed_once_and_sorted() {
        // 249 ISO 3166-1 entries plus the user-assigned XK.
        assert_eq!(COUNTRIES.len(), 250);
        for pair in COUNTRIES.windows(2) {
            assert!(pair[0].0 < pair[1].0, "{} before {}", pair[0].0, pair[1].0);
        }
        for &(alpha2, names) in COUNTRIES {
            assert_eq!(alpha2.len(), 2);
            assert!(alpha2.bytes().all(|b| b.is_ascii_uppercase()));
            assert_eq!(country_alpha2(alpha2), Some(alpha2));
            // The first name is always the alpha-3 code.
            assert_eq!(names[0].len(), 3, "alpha-3 of {alpha2}");
        }
    }

    #[test]
    fn no_folded_key_belongs_to_two_countries() {
        let mut owner: HashMap<String, &str> = HashMap::new();
        for &(alpha2, names) in COUNTRIES {
            for name in std::iter::once(&alpha2).chain(names.iter()) {
                let key = fold_key(name);
                assert!(!key.is_empty(), "{name:?} folds to nothing");
                if let Some(prev) = owner.insert(key.clone(), alpha2) {
                    assert_eq!(prev, alpha2, "{key:?} is both {prev} and {alpha2}");
                }
            }
        }
    }

    #[test]
    fn fold_key_folds() {
        let cases = [
            ("Dänemark", "danemark"),
            ("Færøyene", "faeroyene"),
            ("Włochy", "wlochy"),
            ("Großbritannien", "grossbritannien"),
            ("U.S.A.", "usa"),
            ("  Nord-Korea ", "nordkorea"),
            ("", ""),
        ];
        for (raw, key) in cases {
            assert_eq!(fold_key(raw), key, "{raw:?}");
        }
    }
}
