use super::*;

fn ctx(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

#[test]
fn encrypt_decrypt_round_trips_and_checks_the_context() {
    let mut a = Account::default();
    let key = a.create_key("app", None, None, &[]).expect("key");
    a.create_alias("alias/app", &key.key_id).expect("alias");
    let sealed = a.kms_encrypt("alias/app", b"hello", &ctx(&[("app", "todo")])).expect("sealed");
    assert_eq!(sealed.key_id, key.arn);
    assert!(!sealed.ciphertext_blob.windows(5).any(|w| w == b"hello"));
    let (plain, arn) = a.kms_decrypt(&sealed.ciphertext_blob, None, &ctx(&[("app", "todo")])).expect("plain");
    assert_eq!((plain.as_slice(), arn.as_str()), (&b"hello"[..], key.arn.as_str()));
    // A wrong context, a flipped bit or a foreign blob: InvalidCiphertextException.
    assert_eq!(a.kms_decrypt(&sealed.ciphertext_blob, None, &ctx(&[])).unwrap_err().code, "InvalidCiphertextException");
    let mut flipped = sealed.ciphertext_blob.clone();
    let last = flipped.len() - 1;
    flipped[last] ^= 1;
    assert_eq!(a.kms_decrypt(&flipped, None, &ctx(&[("app", "todo")])).unwrap_err().code, "InvalidCiphertextException");
    assert_eq!(a.kms_decrypt(b"garbage", None, &ctx(&[])).unwrap_err().code, "InvalidCiphertextException");
    let other = a.create_key("other", None, None, &[]).expect("key");
    let e = a.kms_decrypt(&sealed.ciphertext_blob, Some(&other.key_id), &ctx(&[("app", "todo")])).unwrap_err();
    assert_eq!(e.code, "IncorrectKeyException");
}

#[test]
fn keys_are_found_by_id_arn_alias_and_alias_arn() {
    let mut a = Account::default();
    let key = a.create_key("", None, None, &[]).expect("key");
    a.create_alias("alias/x", &key.arn).expect("alias by key ARN");
    let alias_arn = a.kms_alias_arn("alias/x");
    for id in [key.key_id.as_str(), key.arn.as_str(), "alias/x", alias_arn.as_str()] {
        assert_eq!(a.kms_key(id).map(|k| k.key_id.clone()), Ok(key.key_id.clone()), "{id}");
    }
    let e = a.create_alias("alias/x", &key.key_id).unwrap_err();
    assert_eq!(
        (e.code.as_str(), e.message),
        ("AlreadyExistsException", format!("An alias with the name {alias_arn} already exists"))
    );
    assert_eq!(
        a.kms_key("alias/nope").unwrap_err().message,
        format!("Alias {} is not found.", a.kms_alias_arn("alias/nope"))
    );
    let missing = "11111111-2222-3333-4444-555555555555";
    assert_eq!(a.kms_key(missing).unwrap_err().message, format!("Key '{}' does not exist", a.kms_key_arn(missing)));
    assert_eq!(a.create_alias("x", &key.key_id).unwrap_err().code, "ValidationException");
    a.delete_alias("alias/x").expect("deleted");
    assert_eq!(a.delete_alias("alias/x").unwrap_err().code, "NotFoundException");
}

#[test]
fn managed_keys_appear_on_first_use_and_deleted_keys_go() {
    let mut a = Account::default();
    assert!(a.kms_key("alias/aws/ssm").is_err());
    let sealed = a.kms_encrypt("alias/aws/ssm", b"v", &BTreeMap::new()).expect("sealed");
    assert_eq!(a.kms_key("alias/aws/ssm").map(|k| k.key_manager), Ok(KeyManager::Aws));
    assert!(a.kms_decrypt(&sealed.ciphertext_blob, None, &BTreeMap::new()).is_ok());
    let key = a.create_key("", None, None, &[]).expect("key");
    assert_eq!(a.schedule_key_deletion(&key.key_id, Some(3)).unwrap_err().code, "ValidationException");
    let k = a.schedule_key_deletion(&key.key_id, None).expect("scheduled");
    assert_eq!(k.deletion_date, Some(a.clock_ms + 30 * DAY_MS));
    assert_eq!(a.kms_encrypt(&key.key_id, b"x", &BTreeMap::new()).unwrap_err().code, "KMSInvalidStateException");
    a.clock_ms += 30 * DAY_MS;
    assert_eq!(a.kms_key(&key.key_id).unwrap_err().code, "NotFoundException");
    let (plain, sealed) =
        a.kms_generate_data_key("alias/aws/ssm", Some("AES_256"), None, &BTreeMap::new()).expect("dk");
    assert_eq!(plain.len(), 32);
    assert_eq!(a.kms_decrypt(&sealed.ciphertext_blob, None, &BTreeMap::new()).map(|p| p.0), Ok(plain));
}
