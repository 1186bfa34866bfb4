use super::*;
use std::time::Instant;

fn dir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"))
}

fn session(dir: &Path) -> Session {
    Session::open(Some(dir), "test", false).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn the_pace_is_real_time_exactly_while_an_up_holds_the_state_folder() {
    let st = dir();
    assert_eq!(pace(st.path()), Pace::Simulated);
    let up = crate::up::acquire(st.path()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(pace(st.path()), Pace::RealTime);
    // Another state folder's `up` is not this one's.
    assert_eq!(pace(dir().path()), Pace::Simulated);
    drop(up);
    assert_eq!(pace(st.path()), Pace::Simulated);
}

#[test]
fn simulated_waits_and_steps_jump_ahead_of_the_wall() {
    let st = dir();
    let mut s = session(st.path());
    let mut a = std::mem::take(&mut s.account);
    let deadline = a.clock_ms + 3_600_000;
    let started = Instant::now();
    assert!(!wait_until(&mut s, &mut a, deadline, &mut |_| false));
    assert!(started.elapsed() < Duration::from_secs(5), "no wall time waited: {:?}", started.elapsed());
    assert_eq!(a.clock_ms, deadline, "jumped to the deadline");
    let before = a.clock_ms;
    step(st.path(), &mut a, 1_000);
    assert_eq!(a.clock_ms, before + 1_000);
}

/// With an `up` running the state folder (here this test holds its lock), a
/// wait follows the wall, lets go of the account between looks (another
/// command gets in and changes it) and sees what that command did.
#[test]
fn real_time_waits_follow_the_wall_and_let_others_in() {
    let st = dir();
    let _up = crate::up::acquire(st.path()).unwrap_or_else(|e| panic!("{e}"));
    let mut s = session(st.path());
    let mut a = std::mem::take(&mut s.account);
    let deadline = wall_clock_ms() + 1_500;

    let other = {
        let path = st.path().to_path_buf();
        std::thread::spawn(move || {
            // Refused unless the wait lets go of the account within the grace second.
            let mut other = Session::open(Some(&path), "update-service", true)?;
            other.account.put_export(account::Export {
                name: "SeenByTheWait".into(),
                value: "yes".into(),
                exporting_stack_id: "stack".into(),
                exporting_stack_name: "stack".into(),
            });
            other.save()
        })
    };
    let seen = |a: &Account| a.exports.values().any(|e| e.name == "SeenByTheWait");
    let mut looks = 0;
    let done = wait_until(&mut s, &mut a, deadline, &mut |a| {
        looks += 1;
        seen(a)
    });
    let other = other.join().unwrap_or_else(|_| panic!("the other command panicked"));
    assert!(other.is_ok(), "the other command got the account: {other:?}");
    assert!(done, "the wait saw the other command's change after {looks} looks");
    assert!(a.clock_ms <= wall_clock_ms(), "not ahead of the wall: {} > {}", a.clock_ms, wall_clock_ms());

    // Nothing to wait for: the deadline comes in wall time, and the clock with it, not past it.
    let deadline = wall_clock_ms() + 600;
    let started = Instant::now();
    assert!(!wait_until(&mut s, &mut a, deadline, &mut |_| false));
    assert!(started.elapsed() >= Duration::from_millis(500), "{:?}", started.elapsed());
    assert!(a.clock_ms >= deadline && a.clock_ms <= wall_clock_ms(), "{} vs {deadline}", a.clock_ms);
    // A step only catches up with the wall.
    step(st.path(), &mut a, 60_000);
    assert!(a.clock_ms <= wall_clock_ms());
}

#[test]
fn catching_up_never_passes_the_wall() {
    let mut a = Account::new_default();
    a.clock_ms = wall_clock_ms() - 10_000;
    catch_up(&mut a);
    assert!(a.clock_ms <= wall_clock_ms() && a.clock_ms + 5_000 > wall_clock_ms());
}
