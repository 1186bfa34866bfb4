//! Prints the synthetic template of N resources (`synthetic 1000 > gen.yml`),
//! for whole-process benchmarks such as scripts/bench-store.sh.

fn main() {
    let n = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(250);
    print!("{}", stacks::synthetic::template(n));
}
