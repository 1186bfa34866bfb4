"""The console in a real headless Chromium against `tasknet serve` with the
example deployed: the task screen's ENIs against boto3's DescribeTasks,
scaling to 3 and the RESOURCE:ENI event arriving without a reload, the
reachability form (reachable, and question 4's blocked hop with its fix), a
rule revoked from the console gone from describe-security-group-rules,
forged changes refused, phone width, keyboard, and a screenshot of each page."""

import ipaddress
import json
import os
import subprocess
import time
import urllib.error
import urllib.request

import boto3

import tnserver
from conftest import login, shot

PRIVATE = [ipaddress.ip_network("172.31.96.0/20"), ipaddress.ip_network("172.31.128.0/20")]
Q = "/_console/reach?from=ApplicationLoadBalancer&to=ApplicationService&port=8000&protocol=tcp"


def client(server, name):
    return boto3.client(name, endpoint_url=server.url, region_name="us-east-1",
                        aws_access_key_id="test", aws_secret_access_key="test")


def service_of(server):
    ecs = client(server, "ecs")
    cluster = ecs.list_clusters()["clusterArns"][0].rsplit("/", 1)[1]
    service = ecs.list_services(cluster=cluster)["serviceArns"][0].rsplit("/", 1)[1]
    return ecs, cluster, service


def test_wrong_secret_stays_on_the_login_page(browser, example):
    page = browser.new_page()
    page.goto(example.url + "/_console/")
    page.fill("#access-key", "test")
    page.fill("#secret-key", "wrong")
    page.click("button[type=submit]")
    assert "/_console/login" in page.url
    assert "not right" in page.inner_text(".flash.bad")
    shot(page, "login")
    page.close()


def test_the_task_screen_shows_each_tasks_eni_as_describe_tasks_does(browser, example):
    ecs, cluster, service = service_of(example)
    arns = ecs.list_tasks(cluster=cluster, serviceName=service)["taskArns"]
    tasks = ecs.describe_tasks(cluster=cluster, tasks=arns)["tasks"]
    assert len(tasks) == 2
    ec2 = client(example, "ec2")
    page = login(browser, example)
    shot(page, "overview")
    for t in tasks:
        details = {d["name"]: d["value"] for d in t["attachments"][0]["details"]}
        eni = ec2.describe_network_interfaces(NetworkInterfaceIds=[details["networkInterfaceId"]])["NetworkInterfaces"][0]
        page.goto(f"{example.url}/_console/ecs/clusters/{cluster}/tasks/{t['taskArn'].rsplit('/', 1)[1]}")
        section = page.inner_text("#attachment")
        assert details["networkInterfaceId"] in section
        assert details["privateIPv4Address"] in section
        assert any(ipaddress.ip_address(details["privateIPv4Address"]) in n for n in PRIVATE)
        assert eni["Groups"][0]["GroupId"] in section
        assert details["macAddress"] in section
    shot(page, "task")
    page.goto(f"{example.url}/_console/ecs/clusters/{cluster}/instances")
    assert page.inner_text("main").count("0 free of 1") == 2
    shot(page, "instances")
    assert page.errors == []


DESIRED = """() => { const dt = [...document.querySelectorAll('main dt')].find(d => d.textContent.startsWith('Desired'));
  return dt ? dt.nextElementSibling.textContent : ''; }"""


def test_scaling_to_3_shows_the_eni_event_without_a_reload(browser, example):
    ecs, cluster, service = service_of(example)
    url = f"{example.url}/_console/ecs/clusters/{cluster}/services/{service}"
    # One tab watches the service while another scales it.
    watcher = login(browser, example)
    watcher.goto(url)
    assert "RESOURCE:ENI" not in watcher.inner_text("#events")
    watcher.evaluate("window.__noReload = 1")
    page = login(browser, example)
    page.goto(url)
    page.fill("#desired", "3")
    page.click("form[action$='/actions/scale-service'] button")
    page.wait_for_url(f"**/services/{service}")
    started = time.monotonic()
    watcher.wait_for_function("document.querySelector('#events').innerText.includes('RESOURCE:ENI')", timeout=15000)
    took = time.monotonic() - started
    assert watcher.evaluate("window.__noReload") == 1, "the event came by a reload, not live"
    print(f"RESOURCE:ENI event on the watching page {took * 1000:.0f} ms after the scaling's answer")
    with open(os.path.join(tnserver.ROOT, "target", "console-live.txt"), "a") as f:
        f.write(f"scale to 3 -> RESOURCE:ENI on an open page: {took * 1000:.0f} ms\n")
    assert ecs.describe_services(cluster=cluster, services=[service])["services"][0]["desiredCount"] == 3
    shot(page, "service")
    # A change through the API reaches an open page too.
    assert watcher.evaluate(DESIRED).startswith("3 ")
    ecs.update_service(cluster=cluster, service=service, desiredCount=2)
    started = time.monotonic()
    watcher.wait_for_function(f"({DESIRED})().startsWith('2 ')", timeout=15000)
    took = time.monotonic() - started
    print(f"an API change (update-service) on the open page after {took * 1000:.0f} ms")
    with open(os.path.join(tnserver.ROOT, "target", "console-live.txt"), "a") as f:
        f.write(f"update-service through boto3 -> open page: {took * 1000:.0f} ms\n")
    assert watcher.evaluate("window.__noReload") == 1
    assert page.errors == [] and watcher.errors == []


def test_the_reachability_form_answers_the_path(browser, example):
    page = login(browser, example)
    page.goto(example.url + "/_console/reach")
    page.fill("#from", "ApplicationLoadBalancer")
    page.fill("#to", "ApplicationService")
    page.fill("#port", "8000")
    page.click("main form button")
    assert "reachable" in page.inner_text("#verdict")
    assert page.locator("li.hop").count() > 0
    # The path is drawn on the map: the load balancer's nodes and a task's ENI.
    assert page.locator(".map g.node.on-path").count() >= 3
    assert page.locator(".map g.node.blocked").count() == 0
    shot(page, "reach")
    page.goto(example.url + "/_console/vpc")
    # Clicking an interface on the map shows what DescribeNetworkInterfaces says of it.
    ecs, cluster, service = service_of(example)
    arn = ecs.list_tasks(cluster=cluster, serviceName=service)["taskArns"][0]
    attachment = ecs.describe_tasks(cluster=cluster, tasks=[arn])["tasks"][0]["attachments"][0]
    eni_id = next(d["value"] for d in attachment["details"] if d["name"] == "networkInterfaceId")
    task = client(example, "ec2").describe_network_interfaces(NetworkInterfaceIds=[eni_id])["NetworkInterfaces"][0]
    page.click(f'.map g.node[data-id="{task["NetworkInterfaceId"]}"]')
    details = page.inner_text("#map-details")
    assert task["NetworkInterfaceId"] in details and task["PrivateIpAddress"] in details, details
    assert task["MacAddress"] in details, details
    # The keyboard reaches the map's elements: Enter on a subnet shows its CIDR.
    subnet = client(example, "ec2").describe_subnets(SubnetIds=[task["SubnetId"]])["Subnets"][0]
    page.focus(f'.map g.node[data-id="{subnet["SubnetId"]}"]')
    page.keyboard.press("Enter")
    assert subnet["CidrBlock"] in page.inner_text("#map-details")
    page.click(f'.map g.node[data-id="{task["NetworkInterfaceId"]}"]')
    wide = page.evaluate("""() => [...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
      .slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))""")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), ("the panel fits", wide)
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, "vpc")
    page.goto(example.url + "/_console/lb")
    shot(page, "lb")
    assert page.errors == []


def test_load_balancing_shows_each_targets_health_as_the_api_does(browser, example):
    elb = client(example, "elbv2")
    lb = elb.describe_load_balancers()["LoadBalancers"][0]
    listeners = elb.describe_listeners(LoadBalancerArn=lb["LoadBalancerArn"])["Listeners"]
    page = login(browser, example)
    page.goto(f"{example.url}/_console/lb/{lb['LoadBalancerName']}")
    text = page.inner_text("main")
    assert lb["DNSName"] in text, text
    for listener in listeners:
        assert f"{listener['Protocol']}:{listener['Port']}" in text or str(listener["Port"]) in text, text
    shot(page, "lb-detail")
    for tg in elb.describe_target_groups(LoadBalancerArn=lb["LoadBalancerArn"])["TargetGroups"]:
        health = elb.describe_target_health(TargetGroupArn=tg["TargetGroupArn"])["TargetHealthDescriptions"]
        assert health
        page.goto(f"{example.url}/_console/lb/target-groups/{tg['TargetGroupName']}")
        rows = page.locator("#targets tbody tr")
        assert rows.count() == len(health)
        shown = {}
        for i in range(rows.count()):
            cells = rows.nth(i).locator("td")
            shown[(cells.nth(0).inner_text(), int(cells.nth(1).inner_text()))] = cells.nth(3).inner_text()
            assert cells.nth(2).inner_text().startswith("us-east-1"), "the target's zone is shown"
        for h in health:
            key = (h["Target"]["Id"], h["Target"]["Port"])
            assert key in shown, (key, shown)
            assert h["TargetHealth"]["State"] in shown[key], (h, shown[key])
    shot(page, "target-group")
    assert page.errors == []


def test_question_4_shows_the_blocked_hop_and_its_fix(browser, question4):
    page = login(browser, question4)
    page.goto(question4.url + Q)
    assert "blocked" in page.inner_text("#verdict")
    blocked = page.locator(".hop.blocked.finding").first.inner_text()
    assert "Fix:" in blocked
    # Where it is blocked is marked on the map too.
    assert page.locator(".map g.node.blocked").count() >= 1
    shot(page, "reach-blocked")


def test_a_rule_revoked_from_the_console_is_gone_from_the_api(browser, example):
    ec2 = client(example, "ec2")
    groups = ec2.describe_security_groups()["SecurityGroups"]
    group = next(g for g in groups if "ApplicationSecurityGroup" in g["GroupName"])["GroupId"]
    rules = ec2.describe_security_group_rules(Filters=[{"Name": "group-id", "Values": [group]}])["SecurityGroupRules"]
    rule = next(r for r in rules if not r["IsEgress"])["SecurityGroupRuleId"]
    page = login(browser, example)
    page.goto(f"{example.url}/_console/sg/{group}")
    # Hovering a rule highlights the interfaces it guards: the group's members, as EC2 lists them.
    members = ec2.describe_network_interfaces(Filters=[{"Name": "group-id", "Values": [group]}])["NetworkInterfaces"]
    assert members
    page.hover(f"[data-rule='{rule}']")
    lit = page.eval_on_selector_all("[data-id].hl", "els => els.map(e => e.getAttribute('data-id'))")
    assert sorted(lit) == sorted(m["NetworkInterfaceId"] for m in members), lit
    page.mouse.move(0, 0)
    shot(page, "security-group")
    page.on("dialog", lambda d: d.accept())
    page.click(f"form:has(input[name=rule][value='{rule}']) button")
    page.wait_for_url(f"**/sg/{group}")
    assert page.locator(f"[data-rule='{rule}']").count() == 0
    assert f"Rule {rule} revoked" in page.inner_text(".flash.good")
    out = subprocess.run(["aws", "ec2", "describe-security-group-rules", "--filters", f"Name=group-id,Values={group}",
                          "--endpoint-url", example.url, "--region", "us-east-1", "--output", "json"],
                         env={**os.environ, "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test"},
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    ids = [r["SecurityGroupRuleId"] for r in json.loads(out.stdout)["SecurityGroupRules"]]
    assert rule not in ids


def test_a_forged_change_is_refused(browser, example):
    ecs, cluster, service = service_of(example)
    page = login(browser, example)
    cookie = next(c for c in page.context.cookies() if c["name"] == "tasknet_console")
    body = f"cluster={cluster}&service={service}&desired=9".encode()
    req = urllib.request.Request(example.url + "/_console/actions/scale-service", data=body, method="POST",
                                 headers={"Cookie": f"tasknet_console={cookie['value']}",
                                          "Origin": "http://evil.example"})
    try:
        urllib.request.urlopen(req, timeout=10)
        status = 200
    except urllib.error.HTTPError as e:
        status = e.code
    assert status == 403
    assert ecs.describe_services(cluster=cluster, services=[service])["services"][0]["desiredCount"] != 9


def test_phone_width_and_keyboard(browser, example):
    page = login(browser, example, width=390, height=844)
    for path in ["/_console/", "/_console/ecs", "/_console/sg", "/_console/reach", "/_console/lb"]:
        page.goto(example.url + path)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
    page.goto(example.url + "/_console/")
    shot(page, "overview-phone")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "tasknet"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Overview"
    assert page.errors == []
