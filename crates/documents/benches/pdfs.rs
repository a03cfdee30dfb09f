//! `cargo bench -p cqc-documents --bench pdfs`: how long each PDF takes to draw, and its size
//! (mean of 50, after one warm-up that parses the embedded fonts).

use cqc_documents::{certificate_pdf, invoice_pdf, recap_pdf};
use cqc_domain::billing::{BillableItem, FeeTable, Invoice, InvoiceNumber, Party};
use cqc_sync::certificate_code::fixtures::{certificate, recap};
use std::time::Instant;

const ROUNDS: u32 = 50;

fn measure(name: &str, draw: impl Fn() -> Vec<u8>) {
    draw();
    let started = Instant::now();
    let mut size = 0;
    for _ in 0..ROUNDS {
        size = draw().len();
    }
    println!("{name}: {:.2?} each, {size} bytes", started.elapsed() / ROUNDS);
}

fn main() {
    let key = ed25519_dalek::SigningKey::from_bytes(&[7; 32]);
    let certificate = certificate(&key);
    let recap = recap();
    let table = FeeTable::default();
    let party = |name: &str| Party { name: name.into(), address_lines: vec!["1 rue A".into()], identifiers: vec![] };
    let invoice = Invoice {
        number: InvoiceNumber::new(2026, 1),
        issued_on: "2026-11-25".into(),
        seller: party("Service CQC"),
        buyer: party("Jean Dupont"),
        lines: vec![table.price(BillableItem::ReplacementCard, None).unwrap()],
        vat_basis_points: table.vat_basis_points,
        payment_reference: "sbx_1".into(),
    };
    measure("certificate PDF (with its QR code)", || certificate_pdf(&certificate));
    measure("recap PDF", || recap_pdf(&recap));
    measure("invoice PDF", || invoice_pdf(&invoice));
}
