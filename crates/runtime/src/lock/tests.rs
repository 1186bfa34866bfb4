use super::*;

fn holder(pid: u32, command: &str) -> Option<Holder> {
    Some(Holder { pid, command: command.to_string() })
}

#[test]
fn holder_records_parse_and_tolerate_padding() {
    assert_eq!(parse_holder(b"12 deploy"), holder(12, "deploy"));
    assert_eq!(parse_holder(b"12 up             \n"), holder(12, "up"));
    assert_eq!(parse_holder(b""), None);
    assert_eq!(parse_holder(b"12"), None);
    assert_eq!(parse_holder(b"x deploy"), None);
}

#[test]
fn this_process_lives_and_a_reaped_child_does_not() {
    assert!(alive(std::process::id()));
    let mut child = std::process::Command::new("true").spawn().unwrap_or_else(|e| panic!("{e}"));
    let pid = child.id();
    let _ = child.wait();
    assert!(!alive(pid));
}

/// A reader racing a writer that records holders over and over never
/// reads a missing or broken record (truncate-then-write failed this).
#[test]
fn a_reader_never_sees_a_half_written_holder() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("account.lock");
    let me = std::process::id();
    let writer_file = open(&path).unwrap_or_else(|e| panic!("{e}"));
    write_holder(&writer_file, &format!("{me} deploy")).unwrap_or_else(|e| panic!("{e}"));
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let mut i = 0u32;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) && i < 2_000_000 {
                let what = if i.is_multiple_of(2) { "deploy" } else { "update-service" };
                let _ = write_holder(&writer_file, &format!("{me} {what}"));
                i += 1;
            }
        })
    };
    let reader_file = open(&path).unwrap_or_else(|e| panic!("{e}"));
    let mut broken = 0;
    for _ in 0..20_000 {
        let mut buf = [0u8; HOLDER_LEN];
        let n = reader_file.read_at(&mut buf, 0).unwrap_or(0);
        if parse_holder(&buf[..n]).is_none_or(|h| h.pid != me) {
            broken += 1;
        }
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let _ = writer.join();
    assert_eq!(broken, 0, "reads that found no holder");
}
