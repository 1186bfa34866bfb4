"""ACM through tasknet's endpoint with boto3 and the aws CLI: a requested
certificate is issued by tasknet's local CA at once, an HTTPS listener
takes it (and refuses to exist without one), and a certificate in use is
not deleted; ACM's and ELBv2's error codes and texts."""

import json
import subprocess

import botocore.exceptions
import pytest

from deploy import aws_env


@pytest.fixture(scope="module")
def acm(server):
    return server.client("acm")


@pytest.fixture(scope="module")
def balancer(server):
    """An internal application load balancer in two zones: its ARN."""
    ec2, elb = server.client("ec2"), server.client("elbv2")
    vpc = ec2.create_vpc(CidrBlock="10.40.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.40.{i}.0/24", AvailabilityZone=f"us-east-1{z}")["Subnet"]["SubnetId"]
               for i, z in enumerate("ab")]
    lb = elb.create_load_balancer(Name="secure", Subnets=subnets, Scheme="internal")["LoadBalancers"][0]
    return lb["LoadBalancerArn"]


FIXED = [{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "200", "MessageBody": "secure"}}]


def test_a_requested_certificate_is_issued_and_described(acm):
    arn = acm.request_certificate(DomainName="app.example.com", SubjectAlternativeNames=["www.example.com"],
                                  ValidationMethod="DNS", Tags=[{"Key": "team", "Value": "web"}])["CertificateArn"]
    assert arn.startswith("arn:aws:acm:us-east-1:123456789012:certificate/")
    c = acm.describe_certificate(CertificateArn=arn)["Certificate"]
    assert c["Status"] == "ISSUED" and c["Type"] == "AMAZON_ISSUED"
    assert c["SubjectAlternativeNames"] == ["app.example.com", "www.example.com"]
    assert [o["ValidationStatus"] for o in c["DomainValidationOptions"]] == ["SUCCESS", "SUCCESS"]
    assert c["NotAfter"] > c["NotBefore"]
    assert arn in [s["CertificateArn"] for s in acm.list_certificates()["CertificateSummaryList"]]
    assert acm.list_tags_for_certificate(CertificateArn=arn)["Tags"] == [{"Key": "team", "Value": "web"}]
    # The ACM waiter botocore ships agrees it is issued.
    acm.get_waiter("certificate_validated").wait(CertificateArn=arn, WaiterConfig={"Delay": 1, "MaxAttempts": 3})


def test_a_bad_domain_and_a_missing_certificate_are_refused_in_acms_words(acm, server):
    with pytest.raises(botocore.exceptions.ClientError) as e:
        acm.request_certificate(DomainName="localhost")
    assert e.value.response["Error"]["Code"] == "ValidationException"
    assert "Value 'localhost' at 'domainName' failed to satisfy constraint" in e.value.response["Error"]["Message"]
    missing = "arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000"
    out = subprocess.run(["aws", "acm", "describe-certificate", "--certificate-arn", missing, "--output", "json"],
                         env=aws_env(server.url), capture_output=True, text=True, timeout=60)
    assert out.returncode == 255, out.stderr
    assert f"An error occurred (ResourceNotFoundException) when calling the DescribeCertificate operation: Could not find certificate {missing}." in out.stderr


def test_an_https_listener_takes_a_certificate_and_keeps_it_in_use(server, acm, balancer):
    elb = server.client("elbv2")
    arn = acm.request_certificate(DomainName="api.example.com")["CertificateArn"]
    with pytest.raises(botocore.exceptions.ClientError) as e:
        elb.create_listener(LoadBalancerArn=balancer, Protocol="HTTPS", Port=443, DefaultActions=FIXED)
    assert e.value.response["Error"]["Code"] == "ValidationError"
    assert e.value.response["Error"]["Message"] == "A certificate must be specified for HTTPS listeners"
    missing = arn[:-4] + "ffff"
    with pytest.raises(botocore.exceptions.ClientError) as e:
        elb.create_listener(LoadBalancerArn=balancer, Protocol="HTTPS", Port=443, DefaultActions=FIXED,
                            Certificates=[{"CertificateArn": missing}])
    assert e.value.response["Error"]["Code"] == "CertificateNotFound"
    assert e.value.response["Error"]["Message"] == f"Certificate '{missing}' not found"
    listener = elb.create_listener(LoadBalancerArn=balancer, Protocol="HTTPS", Port=443, DefaultActions=FIXED,
                                   Certificates=[{"CertificateArn": arn}],
                                   SslPolicy="ELBSecurityPolicy-TLS13-1-2-2021-06")["Listeners"][0]
    described = elb.describe_listeners(ListenerArns=[listener["ListenerArn"]])["Listeners"][0]
    assert described["Certificates"] == [{"CertificateArn": arn}]
    assert described["SslPolicy"] == "ELBSecurityPolicy-TLS13-1-2-2021-06"
    assert acm.describe_certificate(CertificateArn=arn)["Certificate"]["InUseBy"] == [balancer]
    with pytest.raises(botocore.exceptions.ClientError) as e:
        acm.delete_certificate(CertificateArn=arn)
    assert e.value.response["Error"]["Code"] == "ResourceInUseException"
    elb.delete_listener(ListenerArn=listener["ListenerArn"])
    acm.delete_certificate(CertificateArn=arn)
    with pytest.raises(botocore.exceptions.ClientError) as e:
        acm.describe_certificate(CertificateArn=arn)
    assert e.value.response["Error"]["Code"] == "ResourceNotFoundException"
    # An HTTP listener has no certificates at all.
    http = elb.create_listener(LoadBalancerArn=balancer, Protocol="HTTP", Port=80, DefaultActions=FIXED)["Listeners"][0]
    assert "Certificates" not in http and "SslPolicy" not in http
    json.dumps(http)


def _fixture(name):
    import os
    with open(os.path.join(os.path.dirname(__file__), "fixtures", name), "rb") as f:
        return f.read()


def test_an_imported_certificate_is_described_from_its_own_contents(server, acm, balancer):
    """tests/wire/fixtures/imported.pem: self-signed, EC P-256, CN imported.example.com and a second DNS name."""
    arn = acm.import_certificate(Certificate=_fixture("imported.pem"), PrivateKey=_fixture("imported.key"))["CertificateArn"]
    c = acm.describe_certificate(CertificateArn=arn)["Certificate"]
    assert c["Type"] == "IMPORTED" and c["Status"] == "ISSUED"
    assert c["DomainName"] == "imported.example.com"
    assert c["SubjectAlternativeNames"] == ["imported.example.com", "alt.example.com"]
    assert c["KeyAlgorithm"] == "EC_prime256v1"
    assert c["NotAfter"].year >= 2100
    # Reimported into its ARN, it stays one certificate.
    assert acm.import_certificate(CertificateArn=arn, Certificate=_fixture("imported.pem"),
                                  PrivateKey=_fixture("imported.key"))["CertificateArn"] == arn
    listed = [s for s in acm.list_certificates()["CertificateSummaryList"] if s["CertificateArn"] == arn]
    assert len(listed) == 1 and listed[0]["Type"] == "IMPORTED"
    with pytest.raises(botocore.exceptions.ClientError) as e:
        acm.import_certificate(Certificate=b"not a certificate", PrivateKey=_fixture("imported.key"))
    assert e.value.response["Error"]["Code"] == "ValidationException"
    elb = server.client("elbv2")
    listener = elb.create_listener(LoadBalancerArn=balancer, Protocol="HTTPS", Port=8443, DefaultActions=FIXED,
                                   Certificates=[{"CertificateArn": arn}])["Listeners"][0]
    assert listener["Certificates"] == [{"CertificateArn": arn}]
    assert listener["SslPolicy"] == "ELBSecurityPolicy-2016-08"
