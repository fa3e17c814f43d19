//! Fixture plumbing shared by the golden-vector tests: `name | spec | ops`
//! lines, rewritten from the specs when `LOCKSTEP_BLESS` is set.

/// Checks every line of `fixture` (`name | spec | ops`) against `compute(spec)`;
/// with `LOCKSTEP_BLESS` set, first rewrites the file from `specs` under
/// `header`. Every spec must have a committed line.
pub fn check_fixture(
    fixture: &str,
    header: &str,
    specs: &[(&str, &str)],
    compute: impl Fn(&str) -> String,
) {
    if std::env::var_os("LOCKSTEP_BLESS").is_some() {
        let mut out = String::from(header);
        for (name, spec) in specs {
            out.push_str(&format!("{name} | {spec} | {}\n", compute(spec)));
        }
        std::fs::write(fixture, out).unwrap();
    }
    let text = std::fs::read_to_string(fixture).expect("golden fixture");
    let mut checked = 0;
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let fields: Vec<&str> = line.split(" | ").collect();
        let [name, spec, ops] = fields.as_slice() else {
            panic!("bad line {line}")
        };
        assert_eq!(compute(spec), *ops, "golden vector {name}");
        checked += 1;
    }
    assert_eq!(checked, specs.len(), "every spec has a committed vector");
}
