"""An application in a task: reads its secret once a second with the AWS
SDK's defaults (credentials from the task role through the ECS credentials
endpoint, the region from the task's environment, the service's public
hostname resolved by the VPC's DNS) and says on stdout what happened, so
its awslogs stream shows whether Secrets Manager is reachable from where
the task runs.

No endpoint URL, no keys: what works here works the same in a real task.
"""

import os
import sys
import time

import boto3
import botocore.exceptions
from botocore.config import Config

# Short timeouts and no retries, so a blocked path shows within seconds
# (the SDK's defaults would wait a minute and retry before failing the same way).
CONFIG = Config(connect_timeout=2, read_timeout=5, retries={"max_attempts": 1, "mode": "standard"})


def main() -> int:
    secret_id = os.environ.get("SECRET_ID")
    if not secret_id:
        print("error SECRET_ID is not set", flush=True)
        return 2
    rounds = int(os.environ.get("ROUNDS", "0"))  # 0: until stopped
    client = boto3.client("secretsmanager", config=CONFIG)
    said_who = False
    n = 0
    while rounds == 0 or n < rounds:
        n += 1
        start = time.monotonic()
        try:
            value = client.get_secret_value(SecretId=secret_id)
            ms = (time.monotonic() - start) * 1000
            print(f"ok {value['Name']} {len(value.get('SecretString', ''))} chars in {ms:.1f} ms from {client.meta.endpoint_url}", flush=True)
            if not said_who:
                who = boto3.client("sts", config=CONFIG).get_caller_identity()["Arn"]
                print(f"identity {who}", flush=True)
                said_who = True
        except (botocore.exceptions.ConnectTimeoutError, botocore.exceptions.ReadTimeoutError) as e:
            print(f"timeout {e}", flush=True)
        except botocore.exceptions.EndpointConnectionError as e:
            print(f"unreachable {e}", flush=True)
        except Exception as e:  # what else the SDK raises is worth seeing in the log
            print(f"error {type(e).__name__}: {e}", flush=True)
        time.sleep(1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
