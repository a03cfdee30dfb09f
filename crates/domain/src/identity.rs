//! Is the trainee a centre recorded the holder of the account with the same licence number and
//! birth date? Those two match by construction; the names are the third witness. A centre that
//! mistyped one digit of the licence number gives a stranger's training to a driver: when the
//! names clearly differ, the training waits for an agent's check instead of attaching.

/// The names as a person may type them: accents, case, hyphens, apostrophes and spacing aside.
fn words(name: &str) -> Vec<String> {
    let folded: String = name
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'à' | 'â' | 'ä' | 'á' | 'ã' => 'a',
            'ç' => 'c',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'î' | 'ï' | 'í' | 'ì' => 'i',
            'ô' | 'ö' | 'ó' | 'ò' | 'õ' => 'o',
            'ù' | 'û' | 'ü' | 'ú' => 'u',
            'ÿ' => 'y',
            'ñ' => 'n',
            '-' | '\'' | '’' | '.' => ' ',
            c => c,
        })
        .collect::<String>()
        .replace('œ', "oe")
        .replace('æ', "ae");
    folded.split_whitespace().map(str::to_owned).collect()
}

/// The names an account is known by.
pub struct HolderNames<'a> {
    pub last_name: &'a str,
    /// A married or usage name, if any.
    pub usage_name: Option<&'a str>,
    pub first_names: &'a str,
}

/// True when the trainee's last name is neither the holder's last nor usage name, or when they
/// share no first name: not a spelling variant, another person (or a mistyped licence number).
pub fn names_differ_clearly(trainee_last_name: &str, trainee_first_names: &str, holder: &HolderNames) -> bool {
    let last = words(trainee_last_name);
    let same_last = [Some(holder.last_name), holder.usage_name].into_iter().flatten().any(|name| words(name) == last);
    let holder_first = words(holder.first_names);
    let shares_a_first_name = words(trainee_first_names).iter().any(|w| holder_first.contains(w));
    !(same_last && shares_a_first_name)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DUPONT: HolderNames =
        HolderNames { last_name: "Dupont-Aignan", usage_name: Some("Martin"), first_names: "Jean Pierre" };

    #[test]
    fn spelling_variants_of_the_same_names_are_the_same_person() {
        assert!(!names_differ_clearly("DUPONT AIGNAN", "Jean", &DUPONT));
        assert!(!names_differ_clearly("dupont-aignan", "Pierre", &DUPONT));
        assert!(!names_differ_clearly("Martin", "Jean-Pierre", &DUPONT), "the usage name");
        let accents = HolderNames { last_name: "Lefèvre", usage_name: None, first_names: "Hélène" };
        assert!(!names_differ_clearly("LEFEVRE", "Helene", &accents));
    }

    #[test]
    fn another_last_name_or_no_shared_first_name_is_another_person() {
        assert!(names_differ_clearly("Durand", "Jean", &DUPONT));
        assert!(names_differ_clearly("Dupont-Aignan", "Sophie", &DUPONT));
        assert!(names_differ_clearly("Dupont", "Jean", &DUPONT), "half a compound name is not the name");
    }
}
