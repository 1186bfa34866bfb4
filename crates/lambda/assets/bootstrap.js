// tasknet's Node.js runtime for Lambda: the Runtime API loop ("Using the Lambda runtime API
// for custom runtimes") around the function's handler, with Lambda's context object, its
// console format and its error shapes. Started as `node bootstrap.js` with cwd = task root.
'use strict';

const http = require('http');
const path = require('path');
const fs = require('fs');
const util = require('util');
const { pathToFileURL } = require('url');

const [API_HOST, API_PORT] = (process.env.AWS_LAMBDA_RUNTIME_API || '').split(':');
const BASE = '/2018-06-01/runtime';
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const TASK_ROOT = process.env.LAMBDA_TASK_ROOT || process.cwd();
const HANDLER = process.env._HANDLER || '';

function call(method, p, body, headers) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : Buffer.from(body);
    const h = Object.assign({}, headers || {});
    if (data) h['Content-Length'] = data.length;
    const req = http.request(
      { host: API_HOST, port: API_PORT, path: BASE + p, method, headers: h, agent },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (data) req.write(data);
    req.end();
  });
}

// Lambda's error shape for Node.js: errorType, errorMessage, trace.
function errorShape(err, typeOverride) {
  if (err instanceof Error) {
    return {
      errorType: typeOverride || err.name || 'Error',
      errorMessage: err.message,
      trace: String(err.stack || '').split('\n'),
    };
  }
  return { errorType: typeOverride || typeof err, errorMessage: String(err), trace: [] };
}

// console.* as Lambda prints it: `<ISO time>\t<request id>\t<LEVEL>\t<message>`, one record
// per call (newlines become carriage returns so a record stays one line).
let currentId = undefined;
function patchConsole() {
  const levels = { log: 'INFO', info: 'INFO', warn: 'WARN', error: 'ERROR', debug: 'DEBUG', trace: 'TRACE' };
  for (const [fn, level] of Object.entries(levels)) {
    console[fn] = (...args) => {
      const msg = util.format(...args).replace(/\n/g, '\r');
      process.stdout.write(`${new Date().toISOString()}\t${currentId || 'undefined'}\t${level}\t${msg}\n`);
    };
  }
}

async function initError(err, type) {
  const shape = errorShape(err, type);
  if (type) shape.errorMessage = type === 'Runtime.HandlerNotFound' ? shape.errorMessage : `${err && err.name ? err.name + ': ' : ''}${shape.errorMessage}`;
  console.error(`${new Date().toISOString()}\tundefined\tERROR\tUncaught Exception \t${JSON.stringify(shape)}`);
  try {
    await call('POST', '/init/error', JSON.stringify(shape), {
      'Content-Type': 'application/json',
      'Lambda-Runtime-Function-Error-Type': shape.errorType,
    });
  } finally {
    process.exit(129);
  }
}

async function loadHandler() {
  // `dir/file.fn.nested`: the module is up to the first dot after the last slash.
  const slash = HANDLER.lastIndexOf('/');
  const dot = HANDLER.indexOf('.', slash + 1);
  if (dot < 0) {
    const e = new Error(`Bad handler ${HANDLER}`);
    e.lambdaType = 'Runtime.MalformedHandlerName';
    throw e;
  }
  const modPath = HANDLER.slice(0, dot);
  const chain = HANDLER.slice(dot + 1).split('.');
  const base = path.resolve(TASK_ROOT, modPath);
  let mod;
  const file = ['.js', '.mjs', '.cjs'].map((x) => base + x).find((f) => fs.existsSync(f));
  if (!file) {
    const e = new Error(`Cannot find module '${modPath}'`);
    e.lambdaType = 'Runtime.ImportModuleError';
    throw e;
  }
  try {
    if (file.endsWith('.mjs')) {
      mod = await import(pathToFileURL(file).href);
    } else {
      try {
        mod = require(file);
      } catch (e) {
        if (e && (e.code === 'ERR_REQUIRE_ESM' || e.code === 'ERR_REQUIRE_ASYNC_MODULE')) {
          mod = await import(pathToFileURL(file).href);
        } else {
          throw e;
        }
      }
    }
  } catch (e) {
    if (e instanceof SyntaxError) e.lambdaType = 'Runtime.UserCodeSyntaxError';
    else if (e && e.code === 'MODULE_NOT_FOUND') e.lambdaType = 'Runtime.ImportModuleError';
    throw e;
  }
  let fn = mod;
  for (const k of chain) fn = fn == null ? undefined : fn[k];
  if (fn === undefined && mod && mod.default) {
    fn = mod.default;
    for (const k of chain) fn = fn == null ? undefined : fn[k];
  }
  if (typeof fn !== 'function') {
    const e = new Error(`${HANDLER} is undefined or not exported`);
    e.lambdaType = 'Runtime.HandlerNotFound';
    throw e;
  }
  return fn;
}

function makeContext(headers, finish) {
  const deadline = Number(headers['lambda-runtime-deadline-ms'] || 0);
  const ctx = {
    callbackWaitsForEmptyEventLoop: true,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: headers['lambda-runtime-invoked-function-arn'],
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: headers['lambda-runtime-aws-request-id'],
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    getRemainingTimeInMillis: () => Math.max(deadline - Date.now(), 0),
    done: (err, result) => finish(err, result),
    succeed: (result) => finish(null, result),
    fail: (err) => finish(err === undefined || err === null ? 'handled' : err),
  };
  if (headers['lambda-runtime-client-context']) {
    try { ctx.clientContext = JSON.parse(headers['lambda-runtime-client-context']); } catch (_) { /* absent */ }
  }
  if (headers['lambda-runtime-cognito-identity']) {
    try {
      const id = JSON.parse(headers['lambda-runtime-cognito-identity']);
      ctx.identity = { cognitoIdentityId: id.cognitoIdentityId, cognitoIdentityPoolId: id.cognitoIdentityPoolId };
    } catch (_) { /* absent */ }
  }
  return ctx;
}

let currentFinish = null;

async function invokeOnce(handler) {
  const next = await call('GET', '/invocation/next');
  const id = next.headers['lambda-runtime-aws-request-id'];
  currentId = id;
  if (next.headers['lambda-runtime-trace-id']) process.env._X_AMZN_TRACE_ID = next.headers['lambda-runtime-trace-id'];
  let event;
  try {
    event = JSON.parse(next.body.toString('utf8') || 'null');
  } catch (_) {
    event = next.body.toString('utf8');
  }
  await new Promise((resolve) => {
    let settled = false;
    const finish = (err, result) => {
      if (settled) return;
      settled = true;
      currentFinish = null;
      let p;
      if (err !== null && err !== undefined) {
        const shape = errorShape(err);
        console.error(`Invoke Error \t${JSON.stringify(shape)}`);
        p = call('POST', `/invocation/${id}/error`, JSON.stringify(shape), {
          'Content-Type': 'application/json',
          'Lambda-Runtime-Function-Error-Type': shape.errorType,
        });
      } else {
        let body;
        try {
          body = JSON.stringify(result === undefined ? null : result);
        } catch (e) {
          const shape = errorShape(e);
          p = call('POST', `/invocation/${id}/error`, JSON.stringify(shape), { 'Content-Type': 'application/json' });
        }
        if (!p) p = call('POST', `/invocation/${id}/response`, body, { 'Content-Type': 'application/json' });
      }
      p.then(resolve, (e) => { process.stderr.write(`runtime API: ${e}\n`); process.exit(1); });
    };
    currentFinish = finish;
    const ctx = makeContext(next.headers, finish);
    try {
      const r = handler(event, ctx, (err, result) => finish(err, result));
      if (r && typeof r.then === 'function') {
        r.then((v) => finish(null, v), (e) => finish(e === undefined || e === null ? new Error(String(e)) : e));
      } else if (handler.length < 3 && r !== undefined) {
        // A synchronous non-async handler's return value is not a response in Lambda either;
        // it waits for the callback or context.done. Nothing to do.
      }
    } catch (e) {
      finish(e);
    }
  });
  currentId = undefined;
}

process.on('uncaughtException', (e) => {
  if (currentFinish) {
    currentFinish = null;
    const shape = errorShape(e);
    console.error(`Uncaught Exception \t${JSON.stringify(shape)}`);
    call('POST', `/invocation/${currentId}/error`, JSON.stringify(shape), { 'Content-Type': 'application/json' })
      .finally(() => process.exit(129));
  } else {
    process.stderr.write(String((e && e.stack) || e) + '\n');
    process.exit(129);
  }
});
// The event loop ran empty while a handler had not answered (a promise that can never
// settle, a callback never called): Lambda's Node.js runtime answers null then.
process.on('beforeExit', () => {
  if (currentFinish) currentFinish(null, null);
});
process.on('unhandledRejection', (reason) => {
  const e = reason instanceof Error ? reason : new Error(String(reason));
  const shape = { errorType: 'Runtime.UnhandledPromiseRejection', errorMessage: `${e.name}: ${e.message}`, trace: String(e.stack || '').split('\n') };
  console.error(`Unhandled Promise Rejection \t${JSON.stringify(shape)}`);
  const target = currentId ? `/invocation/${currentId}/error` : '/init/error';
  call('POST', target, JSON.stringify(shape), { 'Content-Type': 'application/json' }).finally(() => process.exit(128));
});

(async () => {
  patchConsole();
  let handler;
  try {
    handler = await loadHandler();
  } catch (e) {
    await initError(e, e && e.lambdaType ? e.lambdaType : undefined);
    return;
  }
  for (;;) await invokeOnce(handler);
})();
