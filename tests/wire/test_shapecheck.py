"""The model checker itself must reject what is wrong, or the conformance
walk could not fail: hand-made answers with one defect each."""

import datetime

import botocore.session

import shapecheck

MODELS = botocore.session.get_session()
EC2 = MODELS.get_service_model("ec2").operation_model("DescribeSubnets")
STS = MODELS.get_service_model("sts").operation_model("GetCallerIdentity")
ECS = MODELS.get_service_model("ecs").operation_model("DescribeTasks")

EC2_OK = (b'<DescribeSubnetsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId>'
          b'<subnetSet><item><subnetId>subnet-1</subnetId><state>available</state>'
          b'<availableIpAddressCount>3</availableIpAddressCount></item></subnetSet></DescribeSubnetsResponse>')


def test_a_correct_ec2_answer_passes():
    assert shapecheck.raw_xml(EC2, EC2_OK, "ec2") == []


def test_a_misspelt_ec2_member_an_item_tag_a_bad_enum_and_a_bad_integer_fail():
    assert shapecheck.raw_xml(EC2, EC2_OK.replace(b"subnetId>", b"subnetID>"), "ec2")
    assert shapecheck.raw_xml(EC2, EC2_OK.replace(b"item>", b"member>"), "ec2")
    assert shapecheck.raw_xml(EC2, EC2_OK.replace(b"available<", b"up<"), "ec2")
    assert shapecheck.raw_xml(EC2, EC2_OK.replace(b">3<", b">three<"), "ec2")
    assert shapecheck.raw_xml(EC2, EC2_OK.replace(b"<requestId>r</requestId>", b""), "ec2")


def test_a_query_answer_needs_its_result_wrapper_and_request_id():
    ok = (b'<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">'
          b'<GetCallerIdentityResult><Account>1</Account></GetCallerIdentityResult>'
          b'<ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetCallerIdentityResponse>')
    assert shapecheck.raw_xml(STS, ok, "query") == []
    assert shapecheck.raw_xml(STS, ok.replace(b"GetCallerIdentityResult", b"Result"), "query")
    assert shapecheck.raw_xml(STS, ok.replace(b"<RequestId>r</RequestId>", b""), "query")


def test_json_keys_and_timestamps_are_checked():
    assert shapecheck.raw_json(ECS, b'{"tasks":[{"taskArn":"a","createdAt":1.5}],"failures":[]}') == []
    assert shapecheck.raw_json(ECS, b'{"tasks":[{"taskARN":"a"}]}')
    assert shapecheck.raw_json(ECS, b'{"tasks":[{"createdAt":"2026-01-01T00:00:00Z"}]}')
    assert shapecheck.raw_json(ECS, b'{"tasks":{}}')


def test_parsed_values_are_checked_for_required_members_types_and_enums():
    out = ECS.output_shape
    assert shapecheck.parsed(out, {"tasks": [{"lastStatus": "RUNNING", "cpu": "256"}]}) == []
    assert shapecheck.parsed(out, {"tasks": [{"launchType": "SPACESHIP"}]})
    assert shapecheck.parsed(out, {"tasks": [{"createdAt": "yesterday"}]})
    assert shapecheck.parsed(out, {"tasks": [{"createdAt": datetime.datetime.now()}]}) == []
    assert shapecheck.parsed(out, {"tasks": [{"containers": [{"exitCode": "0"}]}]})
    # A required member: ECS's Attachment has none; CloudFormation's Stack requires StackName.
    stack = MODELS.get_service_model("cloudformation").shape_for("Stack")
    assert any("StackName" in e for e in shapecheck.parsed(stack, {"StackStatus": "CREATE_COMPLETE"}))


def test_documented_departures_from_the_model_pass_and_nothing_else_does():
    igw = MODELS.get_service_model("ec2").operation_model("DescribeInternetGateways")
    doc = (b'<DescribeInternetGatewaysResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">'
           b'<requestId>r</requestId><internetGatewaySet><item><internetGatewayId>igw-1</internetGatewayId>'
           b'<attachmentSet><item><vpcId>vpc-1</vpcId><state>available</state></item></attachmentSet>'
           b'</item></internetGatewaySet></DescribeInternetGatewaysResponse>')
    assert shapecheck.raw_xml(igw, doc, "ec2") == []
    assert shapecheck.raw_xml(igw, doc.replace(b">available<", b">up<"), "ec2")
    parsed_ok = {"InternetGateways": [{"Attachments": [{"State": "available", "VpcId": "vpc-1"}]}]}
    assert shapecheck.parsed(igw.output_shape, parsed_ok) == []
    parsed_ok["InternetGateways"][0]["Attachments"][0]["State"] = "up"
    assert shapecheck.parsed(igw.output_shape, parsed_ok)
    # The value is only allowed where AWS documents it: a VPN gateway's attachment is the model's.
    vgw = MODELS.get_service_model("ec2").shape_for("VpcAttachment")
    assert shapecheck.parsed(vgw, {"State": "available"})


def test_an_iam_policy_document_is_the_dict_botocore_decodes():
    role = MODELS.get_service_model("iam").operation_model("GetRole").output_shape
    doc = {"Version": "2012-10-17", "Statement": []}
    ok = {"Role": {"Path": "/", "RoleName": "r", "RoleId": "AROA1", "Arn": "arn:aws:iam::1:role/r",
                   "CreateDate": datetime.datetime.now(), "AssumeRolePolicyDocument": doc}}
    assert shapecheck.parsed(role, ok) == []
    # A string left over: the wire text was not URL-encoded JSON.
    ok["Role"]["AssumeRolePolicyDocument"] = "not json"
    assert shapecheck.parsed(role, ok)
