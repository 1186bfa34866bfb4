//! How long analysis takes: the example stack, and generated templates of
//! growing size (to see how time grows). Whole-process timing of the binary
//! is in scripts/bench.sh.

use account::Account;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use stacks::{analyze, StackInput};
use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn bench(c: &mut Criterion) {
    let dir = std::env::temp_dir().join(format!("tasknet-bench-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let account = Account::new_default();
    let cfg = std::fs::read_to_string(repo().join("examples/todobackend/dev.cfg")).unwrap_or_default();
    let example = StackInput {
        template_path: repo().join("examples/todobackend/stack.yml"),
        stack_name: "todobackend".into(),
        overrides: cfn::params::parse_cfg_file(&cfg).unwrap_or_default(),
        ..StackInput::default()
    };
    c.bench_function("analyze example", |b| b.iter(|| analyze(&example, &account)));
    let mut group = c.benchmark_group("analyze generated");
    group.sample_size(20);
    // Up to CloudFormation's quota of 500 resources per template.
    for n in [125usize, 250, 500] {
        let path = dir.join(format!("gen-{n}.yml"));
        if std::fs::write(&path, stacks::synthetic::template(n)).is_err() {
            continue;
        }
        let input = StackInput { template_path: path, stack_name: format!("gen{n}"), ..StackInput::default() };
        group.bench_with_input(BenchmarkId::from_parameter(n), &input, |b, input| b.iter(|| analyze(input, &account)));
    }
    group.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, bench);
criterion_main!(benches);
