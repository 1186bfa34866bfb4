"""Secrets Manager, KMS and SSM SecureString as boto3 and the aws CLI see
them through tasknet's endpoint, and a `aws cloudformation deploy` of a
stack whose SSM parameter reads a generated secret through a dynamic
reference."""

import base64
import json
import os
import subprocess

import pytest

import deploy
import tnserver
from deploy import aws_env

HERE = os.path.dirname(__file__)


def aws(server, *args):
    return subprocess.run(["aws", *args, "--output", "json"], env=aws_env(server.url),
                          capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def sm(server):
    return server.client("secretsmanager")


def test_the_cli_creates_and_reads_a_secret(server):
    out = aws(server, "secretsmanager", "create-secret", "--name", "todobackend/credentials",
              "--secret-string", '{"MYSQL_PASSWORD":"password"}')
    assert out.returncode == 0, out.stderr
    made = json.loads(out.stdout)
    assert made["ARN"].startswith("arn:aws:secretsmanager:us-east-1:123456789012:secret:todobackend/credentials-")
    assert len(made["ARN"].rsplit("-", 1)[1]) == 6
    out = aws(server, "secretsmanager", "get-secret-value", "--secret-id", "todobackend/credentials")
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout)
    assert json.loads(got["SecretString"]) == {"MYSQL_PASSWORD": "password"}
    assert got["VersionStages"] == ["AWSCURRENT"] and got["VersionId"] == made["VersionId"]
    out = aws(server, "secretsmanager", "get-secret-value", "--secret-id", "tasknet/no-such-secret")
    assert out.returncode == 255
    assert ("An error occurred (ResourceNotFoundException) when calling the GetSecretValue operation: "
            "Secrets Manager can't find the specified secret.") in out.stderr


def test_versions_stages_and_lookups(sm):
    made = sm.create_secret(Name="app/stages", SecretString="one")
    arn = made["ARN"]
    second = sm.put_secret_value(SecretId=arn, SecretString="two")
    assert second["VersionStages"] == ["AWSCURRENT"]
    pending = sm.put_secret_value(SecretId="app/stages", SecretString="three", VersionStages=["AWSPENDING"])
    assert sm.get_secret_value(SecretId=arn)["SecretString"] == "two"
    assert sm.get_secret_value(SecretId=arn, VersionStage="AWSPREVIOUS")["SecretString"] == "one"
    assert sm.get_secret_value(SecretId=arn, VersionId=pending["VersionId"])["SecretString"] == "three"
    partial = arn[: -len("-XXXXXX")]
    assert sm.get_secret_value(SecretId=partial)["SecretString"] == "two"
    described = sm.describe_secret(SecretId="app/stages")
    assert described["VersionIdsToStages"] == {
        made["VersionId"]: ["AWSPREVIOUS"], second["VersionId"]: ["AWSCURRENT"], pending["VersionId"]: ["AWSPENDING"]}
    listed = sm.list_secret_version_ids(SecretId=arn)["Versions"]
    assert {v["VersionId"]: v["VersionStages"] for v in listed} == described["VersionIdsToStages"]
    # A retried request with its token is the same version; another value under it is refused.
    token = "a" * 32
    first = sm.put_secret_value(SecretId=arn, SecretString="four", ClientRequestToken=token)
    assert sm.put_secret_value(SecretId=arn, SecretString="four", ClientRequestToken=token)["VersionId"] == first["VersionId"]
    with pytest.raises(sm.exceptions.ResourceExistsException):
        sm.put_secret_value(SecretId=arn, SecretString="five", ClientRequestToken=token)
    with pytest.raises(sm.exceptions.ResourceExistsException) as e:
        sm.create_secret(Name="app/stages", SecretString="again")
    assert e.value.response["Error"]["Message"] == "The operation failed because the secret app/stages already exists."
    binary = sm.create_secret(Name="app/binary", SecretBinary=b"\x00\x01\x02")
    assert sm.get_secret_value(SecretId=binary["ARN"])["SecretBinary"] == b"\x00\x01\x02"


def test_list_paginates_and_filters(sm):
    for i in range(5):
        sm.create_secret(Name=f"paged/{i}", SecretString="x", Tags=[{"Key": "team", "Value": f"t{i}"}])
    pages = list(sm.get_paginator("list_secrets").paginate(
        Filters=[{"Key": "name", "Values": ["paged/"]}], PaginationConfig={"PageSize": 2}))
    assert [len(p["SecretList"]) for p in pages] == [2, 2, 1]
    assert sorted(s["Name"] for p in pages for s in p["SecretList"]) == [f"paged/{i}" for i in range(5)]
    tagged = sm.list_secrets(Filters=[{"Key": "tag-value", "Values": ["t3"]}])["SecretList"]
    assert [s["Name"] for s in tagged] == ["paged/3"]


def test_delete_restore_and_force_delete(sm, server):
    sm.create_secret(Name="doomed", SecretString="x")
    deleted = sm.delete_secret(SecretId="doomed", RecoveryWindowInDays=7)
    assert deleted["Name"] == "doomed" and deleted["DeletionDate"]
    with pytest.raises(sm.exceptions.InvalidRequestException) as e:
        sm.get_secret_value(SecretId="doomed")
    assert e.value.response["Error"]["Message"] == (
        "You can't perform this operation on the secret because it was marked for deletion.")
    assert "DeletedDate" in sm.describe_secret(SecretId="doomed")
    names = [s["Name"] for s in sm.list_secrets(IncludePlannedDeletion=True)["SecretList"]]
    assert "doomed" in names and "doomed" not in [s["Name"] for s in sm.list_secrets()["SecretList"]]
    sm.restore_secret(SecretId="doomed")
    assert sm.get_secret_value(SecretId="doomed")["SecretString"] == "x"
    sm.delete_secret(SecretId="doomed", ForceDeleteWithoutRecovery=True)
    with pytest.raises(sm.exceptions.ResourceNotFoundException):
        sm.describe_secret(SecretId="doomed")
    out = aws(server, "secretsmanager", "delete-secret", "--secret-id", "tasknet-never-was")
    assert out.returncode == 255 and "ResourceNotFoundException" in out.stderr


def test_random_passwords_keep_their_rules(sm):
    pw = sm.get_random_password(PasswordLength=40, ExcludePunctuation=True, ExcludeCharacters="abc")["RandomPassword"]
    assert len(pw) == 40 and pw.isalnum() and not set(pw) & set("abc")


def test_kms_round_trip_and_describe_by_alias(server):
    kms = server.client("kms")
    key = kms.create_key(Description="wire")["KeyMetadata"]
    kms.create_alias(AliasName="alias/wire", TargetKeyId=key["KeyId"])
    by_alias = kms.describe_key(KeyId="alias/wire")["KeyMetadata"]
    assert by_alias["KeyId"] == key["KeyId"] and by_alias["Arn"] == key["Arn"]
    alias_arn = f"arn:aws:kms:us-east-1:123456789012:alias/wire"
    assert kms.describe_key(KeyId=alias_arn)["KeyMetadata"]["KeyId"] == key["KeyId"]
    sealed = kms.encrypt(KeyId="alias/wire", Plaintext=b"hello tasknet", EncryptionContext={"app": "wire"})
    assert b"hello tasknet" not in sealed["CiphertextBlob"]
    opened = kms.decrypt(CiphertextBlob=sealed["CiphertextBlob"], EncryptionContext={"app": "wire"})
    assert opened["Plaintext"] == b"hello tasknet" and opened["KeyId"] == key["Arn"]
    with pytest.raises(kms.exceptions.InvalidCiphertextException):
        kms.decrypt(CiphertextBlob=sealed["CiphertextBlob"])
    with pytest.raises(kms.exceptions.AlreadyExistsException) as e:
        kms.create_alias(AliasName="alias/wire", TargetKeyId=key["KeyId"])
    assert e.value.response["Error"]["Message"] == f"An alias with the name {alias_arn} already exists"
    with pytest.raises(kms.exceptions.NotFoundException):
        kms.describe_key(KeyId="alias/tasknet-none")
    data = kms.generate_data_key(KeyId=key["KeyId"], KeySpec="AES_256")
    assert len(data["Plaintext"]) == 32
    assert kms.decrypt(CiphertextBlob=data["CiphertextBlob"])["Plaintext"] == data["Plaintext"]
    kms.enable_key_rotation(KeyId=key["KeyId"])
    assert kms.get_key_rotation_status(KeyId=key["KeyId"])["KeyRotationEnabled"] is True
    out = aws(server, "kms", "encrypt", "--key-id", "alias/wire", "--plaintext", "fileb:///dev/null")
    assert out.returncode != 0  # an empty plaintext is refused (1 to 4096 bytes)


def test_ssm_secure_strings_hide_their_value_unless_decrypted(server):
    ssm = server.client("ssm")
    ssm.put_parameter(Name="/wire/db-password", Value="s3cret", Type="SecureString")
    hidden = ssm.get_parameter(Name="/wire/db-password")["Parameter"]
    assert hidden["Type"] == "SecureString" and hidden["Value"] != "s3cret"
    base64.b64decode(hidden["Value"])  # the ciphertext, as base64
    shown = ssm.get_parameter(Name="/wire/db-password", WithDecryption=True)["Parameter"]
    assert shown["Value"] == "s3cret"
    both = ssm.get_parameters(Names=["/wire/db-password"], WithDecryption=True)["Parameters"]
    assert [p["Value"] for p in both] == ["s3cret"]
    by_path = ssm.get_parameters_by_path(Path="/wire")["Parameters"]
    assert [p["Value"] for p in by_path] == [hidden["Value"]]
    aliases = [a["AliasName"] for a in server.client("kms").list_aliases()["Aliases"]]
    assert "alias/aws/ssm" in aliases


def test_cloudformation_deploy_resolves_a_generated_secret(server):
    stack = "secretsdemo"
    out = subprocess.run(["aws", "cloudformation", "deploy", "--stack-name", stack,
                          "--template-file", os.path.join(HERE, "fixtures", "secrets-stack.yml")],
                         env=aws_env(server.url), capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    assert f"Successfully created/updated stack - {stack}" in out.stdout
    sm = server.client("secretsmanager")
    secret = json.loads(sm.get_secret_value(SecretId=f"{stack}/credentials")["SecretString"])
    password = secret["MYSQL_PASSWORD"]
    assert len(password) == 24 and not set(password) & set('"@/\\') and secret["MYSQL_USER"] == "todobackend"
    copy = server.client("ssm").get_parameter(Name=f"/{stack}/password-copy")["Parameter"]["Value"]
    assert copy == password
    cfn = server.client("cloudformation")
    outputs = {o["OutputKey"]: o["OutputValue"] for o in cfn.describe_stacks(StackName=stack)["Stacks"][0]["Outputs"]}
    described = sm.describe_secret(SecretId=outputs["SecretArn"])
    assert described["KmsKeyId"] == outputs["KeyId"]
    kms = server.client("kms")
    assert kms.describe_key(KeyId=f"alias/{stack}/secrets")["KeyMetadata"]["KeyId"] == outputs["KeyId"]
    # Neither the events nor the resources show the resolved value.
    events = cfn.describe_stack_events(StackName=stack)["StackEvents"]
    resources = cfn.describe_stack_resources(StackName=stack)["StackResources"]
    assert password not in json.dumps(events, default=str) + json.dumps(resources, default=str)
    template = cfn.get_template(StackName=stack)["TemplateBody"]
    assert "{{resolve:secretsmanager:" in (template if isinstance(template, str) else json.dumps(template))
    cfn.delete_stack(StackName=stack)
    cfn.get_waiter("stack_delete_complete").wait(StackName=stack, WaiterConfig={"Delay": 1, "MaxAttempts": 60})
    with pytest.raises(sm.exceptions.ResourceNotFoundException):
        sm.describe_secret(SecretId=f"{stack}/credentials")
    assert kms.describe_key(KeyId=outputs["KeyId"])["KeyMetadata"]["KeyState"] == "PendingDeletion"


def test_the_example_database_reads_its_password_through_the_secrets_custom_resource(stack_server):
    """The book's stack: the secret exists before the stack; its Secrets custom
    resource (a Lambda function reading it with boto3) answers MYSQL_PASSWORD
    as NoEcho Data, and the DB instance's MasterUserPassword is
    `${Secrets.MYSQL_PASSWORD}`. RDS shows the master user's name but never
    the password, and neither does CloudFormation."""
    sm = stack_server.client("secretsmanager")
    secret = json.loads(sm.get_secret_value(SecretId="todobackend/credentials")["SecretString"])
    password = secret["MYSQL_PASSWORD"]
    assert password == deploy.EXAMPLE_PASSWORD
    dbs = stack_server.client("rds").describe_db_instances()["DBInstances"]
    assert dbs and all(d["MasterUsername"] == "todobackend" for d in dbs)
    assert all("MasterUserPassword" not in d for d in dbs)
    cfn = stack_server.client("cloudformation")
    shown = json.dumps(dbs, default=str)
    shown += json.dumps(cfn.describe_stack_events(StackName="todobackend")["StackEvents"], default=str)
    shown += json.dumps(cfn.describe_stack_resources(StackName="todobackend")["StackResources"], default=str)
    assert password not in shown


def test_validate_reads_the_secrets_the_endpoint_made(server, sm):
    """`tasknet validate` resolves a template's references against the stored
    account: a secret made with the aws CLI resolves; a missing one is TN4010
    with CloudFormation's text."""
    sm.create_secret(Name="validate/credentials", SecretString='{"MYSQL_PASSWORD":"pw"}')
    template = os.path.join(HERE, "fixtures", "reads-secret.yml")

    def validate(name):
        env = dict(os.environ, TASKNET_STATE_DIR=server.state_dir)
        return subprocess.run([tnserver.BIN, "validate", "--template-file", template,
                               "--parameter-overrides", f"SecretName={name}"],
                              env=env, capture_output=True, text=True, timeout=60)

    ok = validate("validate/credentials")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    missing = validate("validate/none")
    assert missing.returncode == 1, missing.stdout + missing.stderr
    assert "TN4010" in missing.stdout and "Secrets Manager can't find the specified secret." in missing.stdout
