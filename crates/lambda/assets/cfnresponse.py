"""cfnresponse: tasknet's implementation of the interface documented for CloudFormation's
Python response module (AWS CloudFormation User Guide, "cfn-response module").

CloudFormation provides this module only to functions whose code is inline (Code.ZipFile),
imported as ``import cfnresponse``. ``send`` PUTs the custom resource's response object to the
event's pre-signed ResponseURL. Like the documented module it prints what it sends and never
raises for a failed upload (the stack then waits for its timeout).
"""

import json

SUCCESS = "SUCCESS"
FAILED = "FAILED"


def _put(url, data):
    """PUT ``data`` with an empty content type, which the pre-signed URL's signature covers."""
    try:
        import urllib3
    except ImportError:  # pragma: no cover - urllib3 ships with botocore in every runtime
        import urllib.request

        req = urllib.request.Request(url, data=data, method="PUT")
        req.add_header("content-type", "")
        req.add_header("content-length", str(len(data)))
        with urllib.request.urlopen(req) as resp:
            return resp.status
    http = urllib3.PoolManager()
    resp = http.request(
        "PUT",
        url,
        headers={"content-type": "", "content-length": str(len(data))},
        body=data,
    )
    return resp.status


def send(event, context, responseStatus, responseData, physicalResourceId=None, noEcho=False, reason=None):
    """Sends the response of a custom resource request to CloudFormation."""
    stream = context.log_stream_name
    response = {
        "Status": responseStatus,
        "Reason": reason or "See the details in CloudWatch Log Stream: " + stream,
        "PhysicalResourceId": physicalResourceId or stream,
        "StackId": event["StackId"],
        "RequestId": event["RequestId"],
        "LogicalResourceId": event["LogicalResourceId"],
        "NoEcho": noEcho,
        "Data": responseData,
    }
    data = json.dumps(response).encode("utf-8")
    print("cfnresponse: sending " + data.decode("utf-8"))
    try:
        status = _put(event["ResponseURL"], data)
        print("cfnresponse: %s response sent, HTTP status %s" % (responseStatus, status))
    except Exception as e:  # the documented module swallows every upload failure
        print("cfnresponse: sending the response failed: %s" % (e,))
