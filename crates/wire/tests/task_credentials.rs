//! Keys a task gets for its task role (what `up`'s credentials endpoint
//! serves) are accepted by the endpoint, and a call made with them is the
//! assumed role's: `GetCallerIdentity` names `assumed-role/<role>/<task ID>`.

mod support;

use control::ecs::testkit;
use support::Call;

#[test]
fn a_task_roles_keys_are_the_assumed_roles() {
    let n = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    let dir = std::env::temp_dir().join(format!("tasknet-wire-task-creds-{}-{n}", std::process::id()));
    let _cleanup = support::Folder::at(dir.clone());
    let mut session = runtime::Session::open(Some(&dir), "test", true).expect("opened");
    let a = &mut session.account;
    testkit::cluster(a, "c");
    let td = testkit::task_definition(
        a,
        "web",
        "awsvpc",
        Some(("256", "512")),
        vec![testkit::container("app", 128, 80, None)],
    );
    if let Some(d) = a.task_definitions.get_mut(&td) {
        d.task_role_arn = Some("arn:aws:iam::123456789012:role/app-role".into());
    }
    let task_arn = testkit::run_fargate_task(a, "c", "web").expect("runs");
    // What `up`'s tick does before it saves: the task gets its ID and keys.
    let now = runtime::clock::wall_clock_ms();
    a.refresh_credentials(now);
    let id = a.task_credentials_of(&task_arn).expect("a credentials ID").credentials_id.clone();
    let served = a.served_task_credentials(&id, now).expect("keys");
    session.save().expect("saved");
    drop(session);

    let config = wire::Config::new(([127, 0, 0, 1], 0).into(), Some(dir.clone()));
    let s = wire::server::State::beside_up(&config).expect("server");
    let headers = [("content-type", "application/x-www-form-urlencoded; charset=utf-8")];
    let k = &served.session;
    let res = support::call_as(
        &s,
        "sts",
        (&k.access_key_id, &k.secret_access_key, Some(&k.session_token)),
        &Call {
            method: "POST",
            path: "/",
            query: "",
            headers: &headers,
            body: b"Action=GetCallerIdentity&Version=2011-06-15",
        },
    );
    assert_eq!(res.status, 200, "{}", res.body);
    let task_id = task_arn.rsplit('/').next().unwrap_or_default();
    let want = format!("arn:aws:sts::123456789012:assumed-role/app-role/{task_id}");
    assert_eq!(support::tag(&res.body, "Arn"), Some(want.as_str()));
    assert!(support::tag(&res.body, "UserId").is_some_and(|u| u.starts_with("AROA") && u.ends_with(task_id)));
}
