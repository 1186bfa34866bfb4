"""S3 judged by real clients: boto3 (path style, presigned SigV4 URLs,
virtual-hosted requests signed by botocore's own S3 signer and sent with
their Host header), and the aws CLI's `s3` commands (mb, cp up and down
with multipart above 8 MiB, ls, rm)."""

import hashlib
import os
import subprocess
import urllib.error
import urllib.request
from unittest import mock  # noqa: F401 (kept beside rawhttp's style)

import boto3
import pytest
import requests
from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

import tnserver
from deploy import aws_env


def s3(server, **cfg):
    config = Config(retries={"max_attempts": 1, "mode": "standard"}, signature_version="s3v4", **cfg)
    return boto3.session.Session().client(
        "s3", endpoint_url=server.url, region_name=tnserver.REGION, aws_access_key_id=tnserver.KEY,
        aws_secret_access_key=tnserver.SECRET, config=config)


def aws(server, *args, cwd=None):
    return subprocess.run(["aws", *args], env=aws_env(server.url), capture_output=True, text=True,
                          timeout=120, cwd=cwd)


def test_objects_round_trip_with_their_metadata(server):
    c = s3(server)
    c.create_bucket(Bucket="meta-bucket")
    put = c.put_object(Bucket="meta-bucket", Key="dir/a b+c.txt", Body=b"hello", ContentType="text/plain",
                       Metadata={"owner": "me"}, CacheControl="no-cache")
    assert put["ETag"] == '"%s"' % hashlib.md5(b"hello").hexdigest()
    got = c.get_object(Bucket="meta-bucket", Key="dir/a b+c.txt")
    assert got["Body"].read() == b"hello"
    assert (got["ContentType"], got["Metadata"], got["CacheControl"]) == ("text/plain", {"owner": "me"}, "no-cache")
    assert got["ContentLength"] == 5 and got["LastModified"].year >= 2026
    head = c.head_object(Bucket="meta-bucket", Key="dir/a b+c.txt")
    assert head["ContentLength"] == 5 and head["ETag"] == put["ETag"]
    assert c.get_object(Bucket="meta-bucket", Key="dir/a b+c.txt", Range="bytes=1-3")["Body"].read() == b"ell"
    with pytest.raises(ClientError) as e:
        c.get_object(Bucket="meta-bucket", Key="dir/a b+c.txt", IfMatch='"0000"')
    assert e.value.response["Error"]["Code"] == "PreconditionFailed"
    with pytest.raises(ClientError) as e:
        c.get_object(Bucket="meta-bucket", Key="dir/a b+c.txt", IfNoneMatch=put["ETag"])
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 304
    renamed = c.get_object(Bucket="meta-bucket", Key="dir/a b+c.txt", ResponseContentType="application/json")
    assert renamed["ContentType"] == "application/json"
    copied = c.copy_object(Bucket="meta-bucket", Key="copy", CopySource={"Bucket": "meta-bucket", "Key": "dir/a b+c.txt"})
    assert copied["CopyObjectResult"]["ETag"] == put["ETag"]
    assert c.get_object(Bucket="meta-bucket", Key="copy")["Metadata"] == {"owner": "me"}


def test_errors_are_s3s_codes_and_texts(server):
    c = s3(server)
    c.create_bucket(Bucket="err-bucket")
    with pytest.raises(c.exceptions.NoSuchKey) as e:
        c.get_object(Bucket="err-bucket", Key="missing")
    assert e.value.response["Error"]["Message"] == "The specified key does not exist."
    assert e.value.response["Error"]["Key"] == "missing"
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    with pytest.raises(c.exceptions.NoSuchBucket) as e:
        c.list_objects_v2(Bucket="no-such-bucket-here")
    assert e.value.response["Error"]["Message"] == "The specified bucket does not exist"
    with pytest.raises(ClientError) as e:
        c.head_object(Bucket="err-bucket", Key="missing")
    assert e.value.response["Error"]["Code"] == "404"
    with pytest.raises(ClientError) as e:
        c.create_bucket(Bucket="Bad_Name")
    assert e.value.response["Error"]["Code"] == "InvalidBucketName"
    with pytest.raises(ClientError) as e:
        c.create_bucket(Bucket="err-bucket2", CreateBucketConfiguration={"LocationConstraint": "us-east-1"})
    assert e.value.response["Error"]["Code"] == "InvalidLocationConstraint"
    c.put_object(Bucket="err-bucket", Key="k", Body=b"x")
    with pytest.raises(ClientError) as e:
        c.delete_bucket(Bucket="err-bucket")
    assert (e.value.response["Error"]["Code"], e.value.response["ResponseMetadata"]["HTTPStatusCode"]) == \
        ("BucketNotEmpty", 409)
    with pytest.raises(ClientError) as e:
        s3(server).get_object(Bucket="err-bucket", Key="k", Range="bytes=10-")
    assert e.value.response["Error"]["Code"] == "InvalidRange"


def test_listing_pages_and_groups(server):
    c = s3(server)
    c.create_bucket(Bucket="list-bucket")
    keys = [f"p/{i:02d}" for i in range(7)] + ["q/x/1", "q/y", "top"]
    for k in keys:
        c.put_object(Bucket="list-bucket", Key=k, Body=k.encode())
    pages = c.get_paginator("list_objects_v2").paginate(Bucket="list-bucket", PaginationConfig={"PageSize": 3})
    listed = [o["Key"] for p in pages for o in p.get("Contents", [])]
    assert listed == sorted(keys)
    grouped = c.list_objects_v2(Bucket="list-bucket", Delimiter="/")
    assert [p["Prefix"] for p in grouped["CommonPrefixes"]] == ["p/", "q/"]
    assert [o["Key"] for o in grouped["Contents"]] == ["top"]
    assert grouped["KeyCount"] == 3
    after = c.list_objects_v2(Bucket="list-bucket", StartAfter="p/05", Prefix="p/")
    assert [o["Key"] for o in after["Contents"]] == ["p/06"]
    v1 = c.list_objects(Bucket="list-bucket", Prefix="q/")
    assert [o["Key"] for o in v1["Contents"]] == ["q/x/1", "q/y"]
    assert "list-bucket" in [b["Name"] for b in c.list_buckets()["Buckets"]]


def test_a_presigned_url_reads_the_object(server):
    c = s3(server)
    c.create_bucket(Bucket="pre-bucket")
    c.put_object(Bucket="pre-bucket", Key="doc.txt", Body=b"presigned")
    url = c.generate_presigned_url("get_object", Params={"Bucket": "pre-bucket", "Key": "doc.txt"}, ExpiresIn=60)
    assert "X-Amz-Signature=" in url
    put_url = c.generate_presigned_url("put_object", Params={"Bucket": "pre-bucket", "Key": "up.txt"}, ExpiresIn=60)
    assert requests.put(put_url, data=b"uploaded", timeout=10).status_code == 200
    assert c.get_object(Bucket="pre-bucket", Key="up.txt")["Body"].read() == b"uploaded"
    with urllib.request.urlopen(url, timeout=10) as r:
        assert r.read() == b"presigned"
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(url.replace("doc.txt", "other.txt"), timeout=10)
    assert e.value.code == 403 and b"<Code>SignatureDoesNotMatch</Code>" in e.value.read()


def test_a_presigned_url_of_botocores_default_signer_reads_the_object(server):
    """boto3's generate_presigned_url for S3 writes Signature Version 2 unless told s3v4."""
    plain = boto3.session.Session().client(
        "s3", endpoint_url=server.url, region_name=tnserver.REGION, aws_access_key_id=tnserver.KEY,
        aws_secret_access_key=tnserver.SECRET)
    plain.create_bucket(Bucket="pre2-bucket")
    plain.put_object(Bucket="pre2-bucket", Key="doc.txt", Body=b"v2")
    url = plain.generate_presigned_url("get_object", Params={"Bucket": "pre2-bucket", "Key": "doc.txt"})
    with urllib.request.urlopen(url, timeout=10) as r:
        assert r.read() == b"v2"
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(url.replace("doc.txt", "other.txt"), timeout=10)
    assert e.value.code == 403 and b"<Code>SignatureDoesNotMatch</Code>" in e.value.read()


def test_virtual_hosted_requests_name_the_bucket_in_the_host(server):
    """`bucket.localhost` does not resolve here, so the request is signed
    for that host by botocore's S3 signer and sent to the server's address."""
    c = s3(server)
    c.create_bucket(Bucket="vhost-bucket")
    port = server.url.rsplit(":", 1)[1]
    host = f"vhost-bucket.localhost:{port}"

    def send(method, path, body=b""):
        req = AWSRequest(method=method, url=f"http://{host}{path}", data=body)
        req.headers["x-amz-content-sha256"] = hashlib.sha256(body).hexdigest()
        S3SigV4Auth(Credentials(tnserver.KEY, tnserver.SECRET), "s3", tnserver.REGION).add_auth(req)
        headers = dict(req.headers.items(), Host=host)
        return requests.request(method, f"{server.url}{path}", data=body, headers=headers, timeout=10)

    r = send("PUT", "/v/key.txt", b"virtual")
    assert r.status_code == 200, r.text
    assert c.get_object(Bucket="vhost-bucket", Key="v/key.txt")["Body"].read() == b"virtual"
    r = send("GET", "/v/key.txt")
    assert (r.status_code, r.content) == (200, b"virtual")
    r = send("GET", "/?list-type=2")
    assert r.status_code == 200 and "<Key>v/key.txt</Key>" in r.text


def test_the_cli_makes_copies_lists_and_removes(server, tmp_path):
    assert aws(server, "s3", "mb", "s3://cli-bucket").returncode == 0
    small = tmp_path / "small.txt"
    small.write_bytes(b"small file\n")
    big = tmp_path / "big.bin"
    # Above the CLI's 8 MiB multipart threshold: CreateMultipartUpload, UploadPart ×2, Complete.
    big.write_bytes(os.urandom(9 * 1024 * 1024 + 123))
    for f in (small, big):
        out = aws(server, "s3", "cp", str(f), f"s3://cli-bucket/dir/{f.name}")
        assert out.returncode == 0, out.stderr
    head = s3(server).head_object(Bucket="cli-bucket", Key="dir/big.bin")
    assert head["ContentLength"] == big.stat().st_size and head["ETag"].endswith('-2"')
    listing = aws(server, "s3", "ls", "s3://cli-bucket/dir/")
    assert listing.returncode == 0 and "small.txt" in listing.stdout and "big.bin" in listing.stdout
    back = tmp_path / "back.bin"
    out = aws(server, "s3", "cp", "s3://cli-bucket/dir/big.bin", str(back))
    assert out.returncode == 0, out.stderr
    assert back.read_bytes() == big.read_bytes()
    buckets = aws(server, "s3", "ls")
    assert buckets.returncode == 0 and "cli-bucket" in buckets.stdout
    # sync uploads what differs, then (sizes and times equal) nothing.
    (tmp_path / "tree" / "sub").mkdir(parents=True)
    (tmp_path / "tree" / "sub" / "x.txt").write_text("x")
    (tmp_path / "tree" / "y.txt").write_text("y")
    first = aws(server, "s3", "sync", str(tmp_path / "tree"), "s3://cli-bucket/sync/")
    assert first.returncode == 0 and first.stdout.count("upload:") == 2, first.stdout + first.stderr
    again = aws(server, "s3", "sync", str(tmp_path / "tree"), "s3://cli-bucket/sync/")
    assert again.returncode == 0 and "upload:" not in again.stdout, again.stdout
    # Between keys: CopyObject, and above 8 MiB UploadPartCopy.
    for name in ("small.txt", "big.bin"):
        out = aws(server, "s3", "cp", f"s3://cli-bucket/dir/{name}", f"s3://cli-bucket/copies/{name}")
        assert out.returncode == 0, out.stderr
    copy = s3(server).get_object(Bucket="cli-bucket", Key="copies/big.bin")["Body"].read()
    assert copy == big.read_bytes()
    out = aws(server, "s3", "rm", "--recursive", "s3://cli-bucket/")
    assert out.returncode == 0, out.stderr
    assert s3(server).list_objects_v2(Bucket="cli-bucket")["KeyCount"] == 0
    assert aws(server, "s3", "rb", "s3://cli-bucket").returncode == 0
