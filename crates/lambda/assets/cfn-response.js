// cfn-response: tasknet's implementation of the interface documented for CloudFormation's
// Node.js response module (AWS CloudFormation User Guide, "cfn-response module"):
// send(event, context, responseStatus, responseData, physicalResourceId, noEcho).
//
// Deviation, on purpose: AWS's module always connects to port 443 over HTTPS; this one uses
// the ResponseURL's own scheme and port, so a response URL on a local endpoint works.
'use strict';

exports.SUCCESS = 'SUCCESS';
exports.FAILED = 'FAILED';

exports.send = function (event, context, responseStatus, responseData, physicalResourceId, noEcho) {
  const body = JSON.stringify({
    Status: responseStatus,
    Reason: 'See the details in CloudWatch Log Stream: ' + context.logStreamName,
    PhysicalResourceId: physicalResourceId || context.logStreamName,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    NoEcho: noEcho || false,
    Data: responseData,
  });
  console.log('Response body:\n', body);
  return new Promise((resolve) => {
    const done = () => {
      context.done();
      resolve();
    };
    let url;
    try {
      url = new URL(event.ResponseURL);
    } catch (e) {
      console.log('send(..) failed: bad ResponseURL: ' + e);
      done();
      return;
    }
    const secure = url.protocol === 'https:';
    const transport = require(secure ? 'https' : 'http');
    const req = transport.request(
      {
        hostname: url.hostname.replace(/^\[|\]$/g, ''),
        port: url.port || (secure ? 443 : 80),
        path: url.pathname + url.search,
        method: 'PUT',
        headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        console.log('Status code: ' + res.statusCode);
        res.resume();
        res.on('end', done);
      },
    );
    req.on('error', (e) => {
      console.log('send(..) failed executing request: ' + e);
      done();
    });
    req.write(body);
    req.end();
  });
};
