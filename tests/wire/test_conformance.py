"""The conformance walk: every operation the endpoint lists at
/_tasknet/operations, called by boto3 with an input built from botocore's
model and the account's real IDs; the answer must parse, and both the wire
bytes and the parsed dict must match the model's output shape. Then the
modeled errors tasknet can give, each raised as the client's own exception
class with AWS's code, status and text."""

import botocore.session
import pytest
from botocore.exceptions import ClientError

import inputs
import shapecheck
import tnserver

MODELS = botocore.session.get_session()


def _listed():
    with tnserver.Server() as s:
        return s.operations()


LISTED = _listed()


def pytest_generate_tests(metafunc):
    if "walk_op" in metafunc.fixturenames:
        ops = [(svc, op) for svc, names in LISTED.items() for op in names]
        ops = inputs.walk_order(ops)  # by phase, each after what it needs; else the listing's order
        metafunc.parametrize("walk_op", ops, ids=[f"{s}.{o}" for s, o in ops])


def test_the_listing_covers_every_service_and_only_modeled_operations():
    assert set(LISTED) == {"cloudformation", "ec2", "ecs", "elbv2", "autoscaling", "rds", "ssm", "sts", "iam",
                           "lambda", "logs", "secretsmanager", "kms", "acm"}
    for svc, names in LISTED.items():
        model = MODELS.get_service_model(svc)
        unknown = set(names) - set(model.operation_names)
        assert not unknown, f"{svc} lists operations botocore does not have: {unknown}"
        assert len(names) == len(set(names)), f"{svc} lists an operation twice"


@pytest.fixture(scope="module")
def ctx(stack_server):
    return inputs.Context(stack_server, LISTED)


def _call(server, svc, op_model, kwargs):
    """The call through boto3, with the bytes botocore parsed."""
    client = server.client(svc)
    seen = {}

    def keep(response_dict, **_):
        seen["status"] = response_dict["status_code"]
        seen["body"] = response_dict["body"]

    client.meta.events.register(f"before-parse.{client.meta.service_model.service_id.hyphenize()}", keep)
    method = getattr(client, botocore.xform_name(op_model.name))
    return method(**kwargs), seen


def test_operation_answers_as_the_model_says(walk_op, ctx, stack_server):
    svc, op = walk_op
    model = MODELS.get_service_model(svc)
    op_model = model.operation_model(op)
    try:
        kwargs = inputs.build(ctx, svc, op_model)
    except inputs.NotBuildable as e:
        pytest.skip(f"{svc}.{op}: no input could be built: {e}")
    try:
        out, seen = _call(stack_server, svc, op_model, kwargs)
    except ClientError as e:
        pytest.fail(f"{svc}.{op}({inputs.dumps(kwargs)}) was refused: {e.response['Error']} "
                    f"(HTTP {e.response['ResponseMetadata'].get('HTTPStatusCode')}); if the input is "
                    f"what is wrong, give the operation an entry in inputs.SPECIAL")
    # rest-json answers with the model's responseCode (CreateFunction 201);
    # Lambda's DeleteFunction answers 204 where its model says 200.
    expected = {op_model.http.get("responseCode", 200)}
    if (svc, op) == ("lambda", "DeleteFunction"):
        expected = {204}
    assert seen.get("status") in expected
    protocol = model.metadata["protocol"]
    if protocol == "json":
        wire = shapecheck.raw_json(op_model, seen["body"])
    elif protocol == "rest-json":
        wire = shapecheck.raw_rest_json(op_model, seen["body"])
    else:
        wire = shapecheck.raw_xml(op_model, seen["body"], protocol)
    assert not wire, f"{svc}.{op}: the wire answer departs from the model:\n" + "\n".join(wire[:30])
    if op_model.output_shape is not None:
        errs = shapecheck.parsed(op_model.output_shape, out)
        assert not errs, f"{svc}.{op}: the parsed answer departs from the model:\n" + "\n".join(errs[:30])
    after = inputs.AFTER.get((svc, op))
    if after:
        after(ctx, out)


# The errors: (service, operation, kwargs from the context, the modeled
# exception's shape name or None for a code the model does not declare,
# AWS's code, HTTP status, AWS's message or None where it is not pinned).
def _errors():
    missing_cluster = "arn:aws:ecs:us-east-1:123456789012:cluster/tasknet-no-such-cluster"
    bogus_lb = ("arn:aws:elasticloadbalancing:us-east-1:123456789012:"
                "loadbalancer/app/tasknet-missing/0123456789abcdef")
    bogus_tg = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/tasknet-missing/0123456789abcdef"
    return [
        ("ecs", "DescribeServices", lambda c: {"cluster": missing_cluster, "services": ["x"]},
         "ClusterNotFoundException", "ClusterNotFoundException", 400, "Cluster not found."),
        ("ecs", "DescribeTasks", lambda c: {"cluster": missing_cluster, "tasks": ["x"]},
         "ClusterNotFoundException", "ClusterNotFoundException", 400, "Cluster not found."),
        ("ecs", "ListTasks", lambda c: {"cluster": missing_cluster},
         "ClusterNotFoundException", "ClusterNotFoundException", 400, "Cluster not found."),
        ("ecs", "UpdateService", lambda c: {"cluster": c.v["cluster"], "service": "tasknet-no-such-service"},
         "ServiceNotFoundException", "ServiceNotFoundException", 400, "Service not found."),
        ("ecs", "UpdateService", lambda c: {"cluster": missing_cluster, "service": "x"},
         "ClusterNotFoundException", "ClusterNotFoundException", 400, "Cluster not found."),
        ("cloudformation", "DescribeStacks", lambda c: {"StackName": "tasknet-no-such-stack"},
         None, "ValidationError", 400, "Stack with id tasknet-no-such-stack does not exist"),
        ("cloudformation", "DescribeChangeSet",
         lambda c: {"StackName": "todobackend", "ChangeSetName": "tasknet-no-such-change-set"},
         "ChangeSetNotFoundException", "ChangeSetNotFound", 404, None),
        ("elbv2", "DescribeLoadBalancers", lambda c: {"LoadBalancerArns": [bogus_lb]},
         "LoadBalancerNotFoundException", "LoadBalancerNotFound", 400, None),
        ("elbv2", "DescribeTargetGroups", lambda c: {"TargetGroupArns": [bogus_tg]},
         "TargetGroupNotFoundException", "TargetGroupNotFound", 400, None),
        ("ec2", "DescribeVpcs", lambda c: {"VpcIds": ["vpc-0123456789abcdef0"]},
         None, "InvalidVpcID.NotFound", 400, "The vpc ID 'vpc-0123456789abcdef0' does not exist"),
        ("ec2", "DescribeSubnets", lambda c: {"SubnetIds": ["subnet-0123456789abcdef0"]},
         None, "InvalidSubnetID.NotFound", 400, "The subnet ID 'subnet-0123456789abcdef0' does not exist"),
        ("ec2", "DescribeSecurityGroups", lambda c: {"GroupIds": ["sg-0123456789abcdef0"]},
         None, "InvalidGroup.NotFound", 400, "The security group 'sg-0123456789abcdef0' does not exist"),
        ("ec2", "DescribeRouteTables", lambda c: {"RouteTableIds": ["rtb-0123456789abcdef0"]},
         None, "InvalidRouteTableID.NotFound", 400, "The routeTable ID 'rtb-0123456789abcdef0' does not exist"),
        ("ec2", "DescribeNetworkInterfaces", lambda c: {"NetworkInterfaceIds": ["eni-0123456789abcdef0"]},
         None, "InvalidNetworkInterfaceID.NotFound", 400, None),
        ("ec2", "DescribeNatGateways", lambda c: {"NatGatewayIds": ["nat-0123456789abcdef0"]},
         None, "NatGatewayNotFound", 400, None),
        ("ssm", "GetParameter", lambda c: {"Name": "/tasknet/no-such-parameter"},
         "ParameterNotFound", "ParameterNotFound", 400, None),
        ("rds", "DescribeDBInstances", lambda c: {"DBInstanceIdentifier": "tasknet-no-such-db"},
         "DBInstanceNotFoundFault", "DBInstanceNotFound", 404, "DBInstance tasknet-no-such-db not found."),
        ("iam", "GetRole", lambda c: {"RoleName": "tasknet-no-such-role"},
         "NoSuchEntityException", "NoSuchEntity", 404,
         "The role with name tasknet-no-such-role cannot be found."),
        ("lambda", "GetFunction", lambda c: {"FunctionName": "tasknet-no-such-function"},
         "ResourceNotFoundException", "ResourceNotFoundException", 404,
         "Function not found: arn:aws:lambda:us-east-1:123456789012:function:tasknet-no-such-function"),
        ("lambda", "Invoke", lambda c: {"FunctionName": "tasknet-no-such-function"},
         "ResourceNotFoundException", "ResourceNotFoundException", 404,
         "Function not found: arn:aws:lambda:us-east-1:123456789012:function:tasknet-no-such-function"),
        ("lambda", "CreateFunction", lambda c: {
            "FunctionName": "tasknet-deprecated", "Runtime": "python3.6", "Role": c.v["role_arns"][0],
            "Handler": "index.handler", "Code": {"ZipFile": inputs._function_zip()}},
         "InvalidParameterValueException", "InvalidParameterValueException", 400,
         "The runtime parameter of python3.6 is no longer supported for creating or updating AWS Lambda "
         "functions. We recommend you use the new runtime (python3.14) while creating or updating functions."),
        ("logs", "GetLogEvents", lambda c: {"logGroupName": "/tasknet/no-such-group", "logStreamName": "s"},
         "ResourceNotFoundException", "ResourceNotFoundException", 400, "The specified log group does not exist."),
        ("logs", "PutLogEvents", lambda c: {"logGroupName": "/tasknet/no-such-group",
                                            "logStreamName": "tasknet-no-such-stream",
                                            "logEvents": [{"timestamp": 1, "message": "x"}]},
         "ResourceNotFoundException", "ResourceNotFoundException", 400, None),
        ("logs", "CreateLogGroup", lambda c: {"logGroupName": "bad name"},
         "InvalidParameterException", "InvalidParameterException", 400, None),
        ("autoscaling", "DescribeAutoScalingGroups", None, None, None, None, None),
        ("secretsmanager", "GetSecretValue", lambda c: {"SecretId": "tasknet/no-such-secret"},
         "ResourceNotFoundException", "ResourceNotFoundException", 400,
         "Secrets Manager can't find the specified secret."),
        # The example stack's own secret (AWS::SecretsManager::Secret with Name ${AWS::StackName}/credentials).
        ("secretsmanager", "CreateSecret", lambda c: {"Name": "todobackend/credentials", "SecretString": "x"},
         "ResourceExistsException", "ResourceExistsException", 400,
         "The operation failed because the secret todobackend/credentials already exists."),
        ("kms", "DescribeKey", lambda c: {"KeyId": "alias/tasknet-no-such-alias"},
         "NotFoundException", "NotFoundException", 400,
         "Alias arn:aws:kms:us-east-1:123456789012:alias/tasknet-no-such-alias is not found."),
        ("kms", "CreateAlias", lambda c: {"AliasName": "alias/todobackend/secrets",
                                          "TargetKeyId": _example_key(c)},
         "AlreadyExistsException", "AlreadyExistsException", 400,
         "An alias with the name arn:aws:kms:us-east-1:123456789012:alias/todobackend/secrets already exists"),
        ("kms", "Decrypt", lambda c: {"CiphertextBlob": b"not a ciphertext of this account"},
         "InvalidCiphertextException", "InvalidCiphertextException", 400, None),
    ]


def _example_key(c):
    """The example stack's KMS key (AWS::KMS::Key SecretsKey)."""
    return c.server.client("kms").describe_key(KeyId="alias/todobackend/secrets")["KeyMetadata"]["KeyId"]


ERRORS = [e for e in _errors() if e[2] is not None]


@pytest.mark.parametrize("case", ERRORS, ids=[f"{e[0]}.{e[1]}-{e[4]}" for e in ERRORS])
def test_a_modeled_error_is_the_clients_exception(case, ctx, stack_server):
    svc, op, build, shape_name, code, status, message = case
    if op not in LISTED.get(svc, []):
        pytest.skip(f"{svc}.{op} is not implemented yet (not in /_tasknet/operations)")
    client = stack_server.client(svc)
    model = client.meta.service_model
    if shape_name is not None:
        # The test's own premise: botocore models the error under that code.
        declared = model.shape_for(shape_name)
        assert declared.error_code == code
        expected = getattr(client.exceptions, shape_name)
    else:
        expected = ClientError
    method = getattr(client, botocore.xform_name(op))
    with pytest.raises(ClientError) as raised:
        method(**build(ctx))
    err = raised.value
    assert type(err) is expected or (expected is ClientError and type(err).__name__ == "ClientError"), (
        f"{svc}.{op} raised {type(err).__name__}, expected {expected.__name__}: {err.response['Error']}")
    assert err.response["Error"]["Code"] == code
    assert err.response["ResponseMetadata"]["HTTPStatusCode"] == status
    if message is not None:
        assert err.response["Error"]["Message"] == message


def test_ecs_describes_what_it_cannot_find_as_failures(ctx, stack_server):
    """ECS answers unknown services and tasks in a known cluster with 200
    and `failures` (reason MISSING), not an error."""
    ecs = stack_server.client("ecs")
    cluster = ctx.v["cluster"]
    arn = cluster.replace(":cluster/", ":service/") + "/tasknet-no-such-service"
    out = ecs.describe_services(cluster=cluster, services=[arn])
    assert out["services"] == []
    assert out["failures"] == [{"arn": arn, "reason": "MISSING"}]
    task = cluster.replace(":cluster/", ":task/") + "/0123456789abcdef0123456789abcdef"
    out = ecs.describe_tasks(cluster=cluster, tasks=[task])
    assert out["tasks"] == [] and out["failures"] == [{"arn": task, "reason": "MISSING"}]


def test_stopping_a_task_that_does_not_exist_is_invalid_parameter(ctx, stack_server):
    if "StopTask" not in LISTED["ecs"]:
        pytest.skip("ecs.StopTask is not implemented yet")
    ecs = stack_server.client("ecs")
    with pytest.raises(ecs.exceptions.InvalidParameterException) as raised:
        ecs.stop_task(cluster=ctx.v["cluster"], task="0123456789abcdef0123456789abcdef")
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
