//! The CSV file of trainings a centre's own software exports: one trainee and training a row,
//! `;`-separated (as French spreadsheets write it), with a header line. A file is taken whole or
//! not at all: any wrong row and the report lists every wrong row with its fields.

use crate::form::FieldError;
use crate::licence::LicenceKind;
use crate::training::{
    validate_record, LicenceCategory, Qualification, SequenceInput, TrainingField, TrainingFieldErrors, TrainingKind,
    TrainingOutcome, TrainingRecordInput,
};
use serde::{Deserialize, Serialize};
use time::Date;
use ts_rs::TS;

/// The header the file starts with; columns may come in any order.
pub const HEADER: &str = "nom;prenoms;date_naissance;type_permis;numero_permis;email;formation;qualification;debut;fin;heures;sequences;resultat;categorie_cible";
/// More rows than this is not a centre's export but a mistake.
pub const MAX_ROWS: usize = 5000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RowErrors {
    /// The line in the file (the header is line 1).
    #[ts(type = "number")]
    pub line: u64,
    pub fields: TrainingFieldErrors,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "code", rename_all = "snake_case")]
#[ts(export)]
pub enum CsvError {
    /// Not a CSV file with the expected header.
    NotATrainingFile {
        missing_columns: Vec<String>,
    },
    TooManyRows {
        max: u32,
    },
    Empty,
    /// A spreadsheet workbook (`.xlsx`, `.xls`, `.ods`), not its CSV export.
    Workbook,
    /// Text in UTF-16 (Excel's « Texte Unicode »): not one of the two encodings taken.
    Utf16,
    Rows {
        rows: Vec<RowErrors>,
    },
}

#[derive(Debug, Deserialize)]
struct Row {
    nom: String,
    prenoms: String,
    date_naissance: String,
    type_permis: String,
    numero_permis: String,
    email: String,
    formation: String,
    qualification: String,
    debut: String,
    fin: String,
    heures: String,
    #[serde(default)]
    sequences: String,
    resultat: String,
    #[serde(default)]
    categorie_cible: String,
}

/// The text of a file as a centre's computer saved it. Taken: UTF-8, with or without its byte
/// order mark (Excel's « CSV UTF-8 », LibreOffice, most software), and Windows-1252 (Excel's
/// « CSV (séparateur : point-virgule) » on a French Windows: a file that is not UTF-8 is read so).
/// Refused, with what to do: UTF-16 (« Texte Unicode ») and a workbook instead of its CSV. Lines
/// may end in CRLF or LF.
pub fn decode_export(bytes: &[u8]) -> Result<String, CsvError> {
    const WORKBOOKS: [&[u8]; 2] = [b"PK\x03\x04", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"];
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(CsvError::Utf16);
    }
    if WORKBOOKS.iter().any(|magic| bytes.starts_with(magic)) {
        return Err(CsvError::Workbook);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    Ok(match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes).0.into_owned(),
    })
}

/// Reads every row and checks it against the rules as of `today`.
pub fn parse_trainings(text: &str, today: Date) -> Result<Vec<TrainingRecordInput>, CsvError> {
    let mut reader =
        csv::ReaderBuilder::new().delimiter(b';').trim(csv::Trim::All).flexible(true).from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|_| CsvError::Empty)?.clone();
    let missing: Vec<String> = HEADER
        .split(';')
        .filter(|column| !matches!(*column, "sequences" | "categorie_cible"))
        .filter(|column| !headers.iter().any(|h| h.trim_start_matches('\u{feff}') == *column))
        .map(str::to_owned)
        .collect();
    if !missing.is_empty() {
        return Err(CsvError::NotATrainingFile { missing_columns: missing });
    }
    let mut records = Vec::new();
    let mut wrong = Vec::new();
    for (index, row) in reader.deserialize::<Row>().enumerate() {
        if index >= MAX_ROWS {
            return Err(CsvError::TooManyRows { max: MAX_ROWS as u32 });
        }
        let line = index as u64 + 2;
        let (input, mut fields) = match row {
            Ok(row) => to_input(row),
            Err(_) => (
                TrainingRecordInput::default(),
                TrainingFieldErrors::from([(TrainingField::LastName, FieldError::UnknownValue)]),
            ),
        };
        if fields.is_empty() {
            if let Err(errors) = validate_record(&input, today) {
                fields = errors;
            }
        }
        if fields.is_empty() {
            records.push(input);
        } else {
            wrong.push(RowErrors { line, fields });
        }
    }
    match (records.is_empty(), wrong.is_empty()) {
        (_, false) => Err(CsvError::Rows { rows: wrong }),
        (true, true) => Err(CsvError::Empty),
        (false, true) => Ok(records),
    }
}

/// A row as the form would have it; cells that name no known value are reported at once.
fn to_input(row: Row) -> (TrainingRecordInput, TrainingFieldErrors) {
    let mut errors = TrainingFieldErrors::new();
    let licence_kind = pick(&mut errors, TrainingField::LicenceKind, &row.type_permis, licence_kind(&row.type_permis));
    let kind = pick(&mut errors, TrainingField::Kind, &row.formation, training_kind(&row.formation));
    let qualification =
        pick(&mut errors, TrainingField::Qualification, &row.qualification, qualification(&row.qualification));
    let outcome = pick(&mut errors, TrainingField::Outcome, &row.resultat, outcome(&row.resultat));
    let target_category =
        pick(&mut errors, TrainingField::TargetCategory, &row.categorie_cible, category(&row.categorie_cible));
    let sequences = row
        .sequences
        .split('|')
        .filter(|s| !s.trim().is_empty())
        .map(|s| {
            let (date, hours) = s.split_once(':').unwrap_or((s, ""));
            SequenceInput { date: date.trim().to_owned(), hours: hours.trim().to_owned() }
        })
        .collect();
    let input = TrainingRecordInput {
        last_name: row.nom,
        first_names: row.prenoms,
        birth_date: row.date_naissance,
        licence_kind,
        licence_number: row.numero_permis,
        email: row.email,
        kind,
        qualification,
        start_date: row.debut,
        end_date: row.fin,
        hours: row.heures,
        sequences,
        outcome,
        target_category,
    };
    (input, errors)
}

/// The value a cell names; a cell that names no known value is an error, an empty one is left
/// for the rules to require.
fn pick<T>(errors: &mut TrainingFieldErrors, field: TrainingField, cell: &str, value: Option<T>) -> Option<T> {
    if value.is_none() && !cell.trim().is_empty() {
        errors.insert(field, FieldError::UnknownValue);
    }
    value
}

fn normalised(cell: &str) -> String {
    cell.trim().to_lowercase().replace(['é', 'è'], "e")
}

fn licence_kind(cell: &str) -> Option<LicenceKind> {
    match normalised(cell).as_str() {
        "carte" => Some(LicenceKind::Card),
        "rose" | "papier" => Some(LicenceKind::PinkPaper),
        _ => None,
    }
}

fn training_kind(cell: &str) -> Option<TrainingKind> {
    match normalised(cell).as_str() {
        "qi_longue" | "qualification initiale longue" => Some(TrainingKind::LongInitial),
        "fimo" => Some(TrainingKind::Fimo),
        "fco" => Some(TrainingKind::Fco),
        "passerelle" => Some(TrainingKind::Passerelle),
        _ => None,
    }
}

fn qualification(cell: &str) -> Option<Qualification> {
    match normalised(cell).as_str() {
        "marchandises" => Some(Qualification::Goods),
        "voyageurs" => Some(Qualification::Passengers),
        _ => None,
    }
}

fn outcome(cell: &str) -> Option<TrainingOutcome> {
    match normalised(cell).as_str() {
        "reussi" | "reussie" | "valide" | "validee" => Some(TrainingOutcome::Passed),
        "echoue" | "echouee" | "non valide" | "non validee" => Some(TrainingOutcome::Failed),
        _ => None,
    }
}

fn category(cell: &str) -> Option<LicenceCategory> {
    match cell.trim().to_uppercase().as_str() {
        "C1" => Some(LicenceCategory::C1),
        "C1E" => Some(LicenceCategory::C1E),
        "C" => Some(LicenceCategory::C),
        "CE" => Some(LicenceCategory::CE),
        "D1" => Some(LicenceCategory::D1),
        "D1E" => Some(LicenceCategory::D1E),
        "D" => Some(LicenceCategory::D),
        "DE" => Some(LicenceCategory::DE),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 11 - 25);

    fn file(rows: &[&str]) -> String {
        std::iter::once(HEADER).chain(rows.iter().copied()).collect::<Vec<_>>().join("\n")
    }

    const GOOD: &str = "Dupont;Jean Pierre;1985-03-14;carte;13AA00002;jean.dupont@exemple.fr;FCO;marchandises;2026-11-16;2026-11-20;35;;réussi;";
    const PASSERELLE: &str = "Martin;Élodie;1990-07-01;rose;900675123456;elodie@exemple.fr;passerelle;voyageurs;2026-11-16;2026-11-20;35;;reussi;D";
    const SEQUENCES: &str = "Durand;Luc;1979-01-31;carte;13AB00003;luc@exemple.fr;fco;marchandises;2026-09-07;2026-09-28;35;2026-09-07:14|2026-09-21:14|2026-09-28:7;réussi;";

    #[test]
    fn an_export_saved_by_excel_on_windows_reads_the_same_in_either_encoding_and_line_ending() {
        let text = file(&[GOOD]).replace("Dupont", "Lefèvre").replace('\n', "\r\n");
        let windows_1252 = encoding_rs::WINDOWS_1252.encode(&text).0.into_owned();
        assert!(std::str::from_utf8(&windows_1252).is_err(), "è is one byte in Windows-1252");
        let utf8_with_bom = [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
        for bytes in [windows_1252, utf8_with_bom, text.as_bytes().to_vec()] {
            let decoded = decode_export(&bytes).unwrap();
            let records = parse_trainings(&decoded, TODAY).unwrap();
            assert_eq!(records[0].last_name, "Lefèvre");
        }
    }

    #[test]
    fn a_workbook_or_a_utf16_text_is_refused_with_what_to_do() {
        let utf16: Vec<u8> =
            [0xFF, 0xFE].into_iter().chain("nom;prenoms".encode_utf16().flat_map(u16::to_le_bytes)).collect();
        assert_eq!(decode_export(&utf16), Err(CsvError::Utf16));
        assert_eq!(decode_export(b"PK\x03\x04\x14\x00\x06\x00"), Err(CsvError::Workbook));
        assert_eq!(decode_export(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\x00"), Err(CsvError::Workbook));
    }

    #[test]
    fn a_centre_export_reads_into_checked_records() {
        let records = parse_trainings(&file(&[GOOD, PASSERELLE, SEQUENCES]), TODAY).unwrap();
        assert_eq!(records.len(), 3);
        assert_eq!(records[1].target_category, Some(LicenceCategory::D));
        assert_eq!(records[2].sequences.len(), 3);
    }

    #[test]
    fn one_wrong_row_refuses_the_whole_file_and_names_each_wrong_row() {
        let short = GOOD.replace(";35;", ";30;");
        let unknown = GOOD.replace("FCO", "stage");
        let error = parse_trainings(&file(&[GOOD, &short, &unknown]), TODAY).unwrap_err();
        let CsvError::Rows { rows } = error else { panic!("{error:?}") };
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].line, 3);
        assert_eq!(rows[0].fields[&TrainingField::Hours], FieldError::TooFewHours { min: 35 });
        assert_eq!(rows[1].line, 4);
        assert_eq!(rows[1].fields[&TrainingField::Kind], FieldError::UnknownValue);
    }

    #[test]
    fn a_file_that_is_not_a_training_export_says_what_is_missing() {
        let error = parse_trainings("nom,prenom\nDupont,Jean", TODAY).unwrap_err();
        assert!(
            matches!(error, CsvError::NotATrainingFile { ref missing_columns } if missing_columns.contains(&"numero_permis".to_owned())),
            "{error:?}"
        );
        assert_eq!(parse_trainings(&file(&[]), TODAY), Err(CsvError::Empty));
        assert_eq!(
            parse_trainings("", TODAY).unwrap_err(),
            CsvError::NotATrainingFile {
                missing_columns: HEADER
                    .split(';')
                    .filter(|c| !matches!(*c, "sequences" | "categorie_cible"))
                    .map(str::to_owned)
                    .collect()
            }
        );
    }
}
