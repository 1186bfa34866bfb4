use super::*;
use crate::Store;

fn account(region: &str) -> Account {
    Account::empty("123456789012", region)
}

#[test]
fn bucket_names_follow_the_naming_rules() {
    for good in ["abc", "my-bucket.v2", "a1b", &"a".repeat(63)] {
        assert!(valid_bucket_name(good), "{good}");
    }
    for bad in ["ab", "Abc", "-abc", "abc-", "a..b", "192.168.1.1", "xn--abc", "abc-s3alias", "a_b", &"a".repeat(64)] {
        assert!(!valid_bucket_name(bad), "{bad}");
    }
    let e = account("us-east-1").create_bucket("Bad_Name", None).unwrap_err();
    assert_eq!((e.code(), e.status()), ("InvalidBucketName", 400));
}

#[test]
fn location_constraints_follow_the_region_rules() {
    let mut east = account("us-east-1");
    assert_eq!(east.create_bucket("bk1", None).unwrap().region, "us-east-1");
    // us-east-1 is never named.
    let e = east.create_bucket("bk2", Some("us-east-1")).unwrap_err();
    assert_eq!((e.code(), e.status()), ("InvalidLocationConstraint", 400));
    // The global endpoint creates buckets in other regions.
    assert_eq!(east.create_bucket("bk3", Some("eu-west-1")).unwrap().region, "eu-west-1");
    // Your own bucket again: 200 in us-east-1.
    assert!(east.create_bucket("bk1", None).is_ok());

    let mut west = account("eu-west-1");
    let e = west.create_bucket("bk1", None).unwrap_err();
    assert_eq!(e.code(), "IllegalLocationConstraintException");
    assert_eq!(
        e.to_string(),
        "The unspecified location constraint is incompatible for the region specific endpoint this request was sent to."
    );
    let e = west.create_bucket("bk1", Some("eu-central-1")).unwrap_err();
    assert!(e.to_string().starts_with("The eu-central-1 location constraint is incompatible"));
    let e = west.create_bucket("bk1", Some("mars-1")).unwrap_err();
    assert_eq!(e.code(), "InvalidLocationConstraint");
    west.create_bucket("bk1", Some("eu-west-1")).unwrap();
    let e = west.create_bucket("bk1", Some("eu-west-1")).unwrap_err();
    assert_eq!((e.code(), e.status()), ("BucketAlreadyOwnedByYou", 409));
}

#[test]
fn objects_round_trip_with_md5_etags() {
    let mut a = account("us-east-1");
    a.create_bucket("bkt", None).unwrap();
    let attrs = ObjectAttributes { content_type: Some("text/plain".into()), ..Default::default() };
    let o = a.put_object("bkt", "k/1", b"abc".to_vec(), attrs).unwrap();
    assert_eq!((o.etag.as_str(), o.size), ("900150983cd24fb0d6963f7d28e17f72", 3));
    let (o, body) = a.get_object("bkt", "k/1").unwrap();
    assert_eq!((body.as_slice(), o.content_type.as_deref()), (&b"abc"[..], Some("text/plain")));
    let e = a.get_object("bkt", "nope").unwrap_err();
    assert_eq!((e.code(), e.status(), e.to_string().as_str()), ("NoSuchKey", 404, "The specified key does not exist."));
    let e = a.put_object("nob", "k", vec![], Default::default()).unwrap_err();
    assert_eq!((e.code(), e.to_string().as_str()), ("NoSuchBucket", "The specified bucket does not exist"));
    let e = a.delete_bucket("bkt").unwrap_err();
    assert_eq!((e.code(), e.status()), ("BucketNotEmpty", 409));
    a.delete_object("bkt", "k/1").unwrap();
    a.delete_object("bkt", "k/1").unwrap();
    a.delete_bucket("bkt").unwrap();
    assert!(a.head_bucket("bkt").is_err());
    let e = a.put_object("bkt", &"k".repeat(1025), vec![], Default::default());
    assert!(e.is_err());
}

#[test]
fn listing_groups_at_the_delimiter_and_pages() {
    let mut a = account("us-east-1");
    a.create_bucket("bkt", None).unwrap();
    a.create_bucket("bkt-other", None).unwrap();
    for k in ["a/1", "a/2", "b/1", "c", "d/x/1", "d/y"] {
        a.put_object("bkt", k, k.as_bytes().to_vec(), Default::default()).unwrap();
    }
    a.put_object("bkt-other", "z", vec![], Default::default()).unwrap();
    let all = a.list_objects("bkt", &ListRequest { max_keys: 1000, ..Default::default() }).unwrap();
    let keys: Vec<&str> = all.contents.iter().map(|o| o.key.as_str()).collect();
    assert_eq!(keys, ["a/1", "a/2", "b/1", "c", "d/x/1", "d/y"]);
    let grouped =
        a.list_objects("bkt", &ListRequest { delimiter: Some("/"), max_keys: 1000, ..Default::default() }).unwrap();
    assert_eq!(grouped.common_prefixes, ["a/", "b/", "d/"]);
    assert_eq!(grouped.contents.iter().map(|o| o.key.as_str()).collect::<Vec<_>>(), ["c"]);
    let nested = a
        .list_objects("bkt", &ListRequest { prefix: "d/", delimiter: Some("/"), max_keys: 1000, ..Default::default() });
    let nested = nested.unwrap();
    assert_eq!((nested.common_prefixes.as_slice(), nested.contents.len()), (&["d/x/".to_string()][..], 1));
    // Pages of two, each starting after the last entry of the one before.
    let mut after: Option<String> = None;
    let mut pages = Vec::new();
    loop {
        let req = ListRequest { delimiter: Some("/"), after: after.as_deref(), max_keys: 2, ..Default::default() };
        let page = a.list_objects("bkt", &req).unwrap();
        pages.push((page.common_prefixes.clone(), page.contents.iter().map(|o| o.key.clone()).collect::<Vec<_>>()));
        if !page.is_truncated {
            break;
        }
        after = page.last.clone();
    }
    assert_eq!(pages.len(), 2, "{pages:?}");
    assert_eq!(pages[0].0, ["a/", "b/"]);
    assert_eq!((pages[1].0.as_slice(), pages[1].1.as_slice()), (&["d/".to_string()][..], &["c".to_string()][..]));
}

#[test]
fn copy_keeps_or_replaces_metadata() {
    let mut a = account("us-east-1");
    a.create_bucket("bkt", None).unwrap();
    let attrs = ObjectAttributes { metadata: [("m".into(), "1".into())].into(), ..Default::default() };
    a.put_object("bkt", "src", b"data".to_vec(), attrs).unwrap();
    let c = a.copy_object(("bkt", "src"), "bkt", "dst", None).unwrap();
    assert_eq!(c.metadata.get("m").map(String::as_str), Some("1"));
    let e = a.copy_object(("bkt", "src"), "bkt", "src", None).unwrap_err();
    assert_eq!(e.code(), "InvalidRequest");
    let c = a.copy_object(("bkt", "src"), "bkt", "src", Some(Default::default())).unwrap();
    assert!(c.metadata.is_empty());
    assert_eq!(a.get_object("bkt", "dst").unwrap().1.as_slice(), b"data");
}

#[test]
fn multipart_uploads_join_parts_with_s3s_etag() {
    let mut a = account("us-east-1");
    a.create_bucket("bkt", None).unwrap();
    let id = a.create_multipart_upload("bkt", "big", Default::default()).unwrap();
    let p1 = vec![1u8; MIN_PART_BYTES as usize];
    let e1 = a.upload_part("bkt", "big", &id, 1, p1.clone()).unwrap();
    let e2 = a.upload_part("bkt", "big", &id, 2, b"tail".to_vec()).unwrap();
    let e = a.complete_multipart_upload("bkt", "big", &id, &[(2, e2.clone()), (1, e1.clone())]).unwrap_err();
    assert_eq!(e.code(), "InvalidPartOrder");
    let e = a.complete_multipart_upload("bkt", "big", &id, &[(1, e1.clone()), (2, "bad".into())]).unwrap_err();
    assert_eq!(e.code(), "InvalidPart");
    let o = a.complete_multipart_upload("bkt", "big", &id, &[(1, format!("\"{e1}\"")), (2, e2.clone())]).unwrap();
    let mut digests = md5(&p1).to_vec();
    digests.extend_from_slice(&md5(b"tail"));
    assert_eq!(o.etag, format!("{}-2", hex(&md5(&digests))));
    assert_eq!(o.size, MIN_PART_BYTES + 4);
    assert!(a.s3_uploads.is_empty());
    let e = a.abort_multipart_upload("bkt", "big", &id).unwrap_err();
    assert_eq!((e.code(), e.status()), ("NoSuchUpload", 404));
    // Small parts but the last are refused.
    let id = a.create_multipart_upload("bkt", "small", Default::default()).unwrap();
    let s1 = a.upload_part("bkt", "small", &id, 1, b"x".to_vec()).unwrap();
    let s2 = a.upload_part("bkt", "small", &id, 2, b"y".to_vec()).unwrap();
    let e = a.complete_multipart_upload("bkt", "small", &id, &[(1, s1), (2, s2)]).unwrap_err();
    assert_eq!(e.code(), "EntityTooSmall");
}

#[test]
fn bodies_are_files_beside_the_store_and_rows_are_per_object() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("account.db");
    let mut store = Store::open(&path).unwrap();
    let mut a = account("us-east-1");
    a.create_bucket("bkt", None).unwrap();
    a.put_object("bkt", "one", b"first".to_vec(), Default::default()).unwrap();
    store.save_account(&a).unwrap();
    let file = dir_beside(&path).join(sha256_hex(b"first"));
    assert_eq!(std::fs::read(&file).unwrap(), b"first");
    // One more object: its row, nothing else of S3 (and the clock/counter meta unchanged).
    a.put_object("bkt", "two", b"second".to_vec(), Default::default()).unwrap();
    assert_eq!(store.save_counting(&a).unwrap(), 1);
    drop(store);
    let mut loaded = Store::open(&path).unwrap().load_account().unwrap().unwrap();
    assert_eq!(loaded, a);
    assert_eq!(loaded.get_object("bkt", "two").unwrap().1.as_slice(), b"second");
    // A body no object names any more goes with the save that dropped it; one still named stays.
    let mut store = Store::open(&path).unwrap();
    store.load_account().unwrap();
    loaded.put_object("bkt", "copy", b"second".to_vec(), Default::default()).unwrap();
    loaded.delete_object("bkt", "one").unwrap();
    loaded.delete_object("bkt", "two").unwrap();
    store.save_account(&loaded).unwrap();
    assert!(!file.exists());
    assert!(dir_beside(&path).join(sha256_hex(b"second")).is_file());
}

#[test]
fn a_five_mib_body_saves_and_loads_quickly() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("account.db");
    let mut store = Store::open(&path).unwrap();
    let mut a = account("us-east-1");
    a.create_bucket("bkt", None).unwrap();
    let body: Vec<u8> = (0..5 * 1024 * 1024).map(|i| (i % 251) as u8).collect();
    let t = std::time::Instant::now();
    a.put_object("bkt", "big", body.clone(), Default::default()).unwrap();
    store.save_account(&a).unwrap();
    let put = t.elapsed();
    let t = std::time::Instant::now();
    let loaded = Store::open(&path).unwrap().load_account().unwrap().unwrap();
    let got = loaded.get_object("bkt", "big").unwrap().1;
    let get = t.elapsed();
    assert_eq!(got.as_slice(), body.as_slice());
    eprintln!("5 MiB: put+save {put:?}, load+get {get:?}");
}

#[test]
fn object_urls_in_the_forms_the_cli_and_templates_write() {
    let want = Some(("bkt".to_string(), "dir/t.yaml".to_string()));
    for url in [
        "https://s3.amazonaws.com/bkt/dir/t.yaml",
        "https://bkt.s3.amazonaws.com/dir/t.yaml",
        "https://s3.eu-west-1.amazonaws.com/bkt/dir/t.yaml",
        "https://s3-eu-west-1.amazonaws.com/bkt/dir/t.yaml",
        "https://bkt.s3.eu-west-1.amazonaws.com/dir/t.yaml",
        "http://127.0.0.1:4566/bkt/dir/t.yaml",
        "http://localhost:4566/bkt/dir/t.yaml?versionId=3",
        "http://bkt.localhost:4566/dir/t.yaml",
    ] {
        assert_eq!(parse_object_url(url), want, "{url}");
    }
    assert_eq!(parse_object_url("https://s3.amazonaws.com/bkt/a%20b").map(|(_, k)| k).as_deref(), Some("a b"));
    for not in ["https://example.com/bkt/k", "s3://bkt/k", "https://s3.amazonaws.com/bkt", "ftp://s3.amazonaws.com/b/k"]
    {
        assert_eq!(parse_object_url(not), None, "{not}");
    }
}
