//! Builds English into the console the way Spanish ships: the strings of
//! `src/messages/en.txt` alone, one per line in field order, its keys and comments taken out
//! (`.ci/post_build.py` does the same to `public/es.txt`). `messages.rs` includes the result.

use std::path::Path;

fn main() {
    let source = "src/messages/en.txt";
    println!("cargo::rerun-if-changed={source}");
    let text = std::fs::read_to_string(source).expect("src/messages/en.txt");
    let mut values = Vec::new();
    for line in text
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        match line.split_once(" = ") {
            Some((_, value)) => values.push(value),
            None => panic!("en.txt line without ` = `: {line:?}"),
        }
    }
    let out = std::env::var("OUT_DIR").expect("OUT_DIR");
    std::fs::write(Path::new(&out).join("en.txt"), values.join("\n")).expect("write en.txt");
}
