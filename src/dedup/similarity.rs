//! String similarity for comparisons: Jaro-Winkler and "one edit apart", without allocation.
//!
//! Comparisons run millions of times per run, almost always on short ASCII keys (names, e-mail
//! keys and cities are folded to ASCII before they get here). For those we work on bytes with
//! stack buffers; anything longer or non-ASCII goes to `strsim`, which gives the same results.

/// Jaro-Winkler similarity (prefix scale 0.1, up to 4 characters), as `strsim::jaro_winkler`.
pub fn jaro_winkler(a: &str, b: &str) -> f64 {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    if !a.is_ascii() || !b.is_ascii() || x.len() > 64 || y.len() > 64 {
        return strsim::jaro_winkler(a, b);
    }
    let jaro = jaro_ascii(x, y);
    let prefix = x.iter().zip(y).take(4).take_while(|(p, q)| p == q).count();
    jaro + 0.1 * prefix as f64 * (1.0 - jaro)
}

/// [`jaro_winkler`] where only whether it reaches `floor` matters below `floor`: the similarity
/// itself when it may reach `floor`, else a value under `floor`. Most compared names and
/// streets share few letters, and the letters two strings share bound the similarity from
/// above (Jaro counts at most that many matches, and no transposition raises it): counting
/// them costs a fraction of matching within the window, so a pair far apart is told so
/// without the full computation, with the same answer against the threshold.
pub fn jaro_winkler_above(a: &str, b: &str, floor: f64) -> f64 {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    if x.is_empty() || y.is_empty() || !a.is_ascii() || !b.is_ascii() || x.len() > 64 || y.len() > 64 {
        return jaro_winkler(a, b);
    }
    let mut count = [0u8; 128];
    for &c in x {
        count[c as usize] += 1;
    }
    let mut common = 0usize;
    for &c in y {
        if count[c as usize] > 0 {
            count[c as usize] -= 1;
            common += 1;
        }
    }
    let m = common as f64;
    let jaro_bound = (m / x.len() as f64 + m / y.len() as f64 + 1.0) / 3.0;
    let prefix = x.iter().zip(y).take(4).take_while(|(p, q)| p == q).count();
    let bound = jaro_bound + 0.1 * prefix as f64 * (1.0 - jaro_bound);
    // The margin keeps rounding from ever putting the bound under a similarity that reaches
    // `floor`.
    if bound < floor - 1e-9 { bound.min(floor - 1e-9) } else { jaro_winkler(a, b) }
}

fn jaro_ascii(a: &[u8], b: &[u8]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let window = (a.len().max(b.len()) / 2).saturating_sub(1);
    let mut a_match = [false; 64];
    let mut b_match = [false; 64];
    let mut matches = 0usize;
    for (i, &c) in a.iter().enumerate() {
        let lo = i.saturating_sub(window);
        let hi = (i + window + 1).min(b.len());
        for j in lo..hi {
            if !b_match[j] && b[j] == c {
                a_match[i] = true;
                b_match[j] = true;
                matches += 1;
                break;
            }
        }
    }
    if matches == 0 {
        return 0.0;
    }
    let mut transpositions = 0usize;
    let mut k = 0usize;
    for (i, &c) in a.iter().enumerate() {
        if a_match[i] {
            while !b_match[k] {
                k += 1;
            }
            if c != b[k] {
                transpositions += 1;
            }
            k += 1;
        }
    }
    let m = matches as f64;
    (m / a.len() as f64 + m / b.len() as f64 + (m - (transpositions / 2) as f64) / m) / 3.0
}

/// True when two strings differ by exactly one edit: a substitution, an insertion or deletion,
/// or a swap of two adjacent characters.
pub fn one_edit(a: &[u8], b: &[u8]) -> bool {
    if a.len() == b.len() {
        let mut diffs = (0..a.len()).filter(|&i| a[i] != b[i]);
        return match (diffs.next(), diffs.next(), diffs.next()) {
            (Some(_), None, _) => true,
            (Some(i), Some(j), None) => j == i + 1 && a[i] == b[j] && a[j] == b[i],
            _ => false,
        };
    }
    let (short, long) = if a.len() < b.len() { (a, b) } else { (b, a) };
    if long.len() != short.len() + 1 {
        return false;
    }
    // The first difference is the inserted character; the rest must line up after it.
    let first = (0..short.len()).find(|&i| short[i] != long[i]).unwrap_or(short.len());
    short[first..] == long[first + 1..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jaro_winkler_agrees_with_strsim() {
        let pairs = [
            ("martha", "marhta"),
            ("dwayne", "duane"),
            ("dixon", "dicksonx"),
            ("kari", "kari"),
            ("", "ola"),
            ("ola", "ole"),
            ("kristiansen", "christiansen"),
            ("a", "b"),
            ("abcdefghijklmnopqrstuvwxyz", "abcdefghijklmnopqrstuvwxzy"),
            ("ødegård", "odegard"),
        ];
        for (a, b) in pairs {
            assert!((jaro_winkler(a, b) - strsim::jaro_winkler(a, b)).abs() < 1e-12, "{a} {b}");
        }
    }

    #[test]
    fn jaro_winkler_above_is_exact_at_or_over_its_floor() {
        let words = [
            "martha",
            "marhta",
            "dwayne",
            "duane",
            "dixon",
            "dicksonx",
            "kari",
            "kristiansen",
            "christiansen",
            "a",
            "b",
            "ola",
            "ole",
            "oslo",
            "bergen",
            "storgata",
            "stortingsgata",
            "ødegård",
            "odegard",
            "wilma",
            "willem",
        ];
        for a in words {
            for b in words {
                let exact = jaro_winkler(a, b);
                for floor in [0.8, 0.88, 0.92] {
                    let above = jaro_winkler_above(a, b, floor);
                    if exact >= floor {
                        assert_eq!(above, exact, "{a} {b} {floor}");
                    } else {
                        assert!(above < floor, "{a} {b} {floor}");
                    }
                }
            }
        }
    }

    #[test]
    fn one_edit_cases() {
        let cases = [
            ("19800102", "19800103", true),
            ("19800102", "19811002", false),
            ("19800102", "19800120", true),
            ("4791234567", "479123456", true),
            ("4791234567", "4791234567", false),
            ("abc", "abxd", false),
            ("", "a", true),
            ("ab", "ba", true),
            ("abc", "cba", false),
        ];
        for (a, b, want) in cases {
            assert_eq!(one_edit(a.as_bytes(), b.as_bytes()), want, "{a} {b}");
            assert_eq!(one_edit(b.as_bytes(), a.as_bytes()), want, "{b} {a}");
        }
    }
}
