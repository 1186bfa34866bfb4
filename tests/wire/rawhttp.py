"""Requests signed by hand (botocore's own SigV4 signer, with a clock of
the test's choosing) and sent raw, for what a boto3 client never sends, and
the error bodies read per protocol."""

import datetime
import json
import xml.etree.ElementTree as ET
from unittest import mock

import requests
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

import tnserver

# One request per protocol: (signing name, body, headers).
PROTOCOLS = {
    "query": ("sts", b"Action=GetCallerIdentity&Version=2011-06-15",
              {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}),
    "ec2": ("ec2", b"Action=DescribeSubnets&Version=2016-11-15",
            {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}),
    "json": ("ecs", b"{}", {"Content-Type": "application/x-amz-json-1.1",
                            "X-Amz-Target": "AmazonEC2ContainerServiceV20141113.ListClusters"}),
}


def utcnow():
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def signed(url, service, body, headers, key=tnserver.KEY, secret=tnserver.SECRET,
           region=tnserver.REGION, when=None):
    """An AWSRequest signed as botocore signs, at `when` (naive UTC)."""
    req = AWSRequest(method="POST", url=url + "/", data=body, headers=dict(headers))
    signer = SigV4Auth(Credentials(key, secret), service, region)
    with mock.patch("botocore.auth.get_current_datetime", return_value=when or utcnow()):
        signer.add_auth(req)
    return req, signer


def send(url, body, headers, path="/", method="POST", timeout=10):
    return requests.request(method, url + path, data=body, headers=headers, timeout=timeout)


def send_signed(req):
    p = req.prepare()
    return requests.post(p.url, data=p.body, headers=dict(p.headers), timeout=10)


def error_of(resp, protocol):
    """(code, message, shape) of an error body, read as its protocol's
    parser reads it; shape names the body's form so tests can check it."""
    if protocol == "json":
        doc = json.loads(resp.content)
        return doc.get("__type"), doc.get("message", doc.get("Message")), "json"
    root = ET.fromstring(resp.content)
    tag = root.tag.rsplit("}", 1)[-1]
    err = root.find(".//{*}Error")
    if err is None:
        err = root.find(".//Error")

    def text(name):
        e = err.find("{*}" + name)
        if e is None:
            e = err.find(name)
        return None if e is None else (e.text or "")
    return text("Code"), text("Message"), tag
