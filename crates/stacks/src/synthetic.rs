//! Synthetic templates for benchmarks and scale tests.

use std::fmt::Write as _;

/// A template of `n` resources: VPCs of subnets, groups with rules, routes,
/// task definitions and services, so every stage has work proportional to n.
pub fn template(n: usize) -> String {
    let mut t = String::from(
        "AWSTemplateFormatVersion: '2010-09-09'\nParameters:\n  Env: {Type: String, Default: dev}\nResources:\n",
    );
    let mut i = 0;
    let mut block = 0;
    while i < n {
        let b = block;
        let _ = write!(
            t,
            "  Vpc{b}:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: 10.{}.0.0/16\n      Tags: [{{Key: Name, Value: !Sub '${{Env}}-{b}'}}]\n",
            b % 256
        );
        i += 1;
        for s in 0..8 {
            if i >= n {
                break;
            }
            let _ = write!(
                t,
                "  Subnet{b}x{s}:\n    Type: AWS::EC2::Subnet\n    Properties:\n      VpcId: !Ref Vpc{b}\n      CidrBlock: 10.{}.{s}.0/24\n      AvailabilityZone: !Select [{}, !GetAZs '']\n",
                b % 256,
                s % 6
            );
            i += 1;
        }
        if i < n {
            let _ = write!(
                t,
                "  Group{b}:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: g\n      VpcId: !Ref Vpc{b}\n      SecurityGroupIngress:\n        - {{IpProtocol: tcp, FromPort: 8000, ToPort: 8000, CidrIp: 10.{}.0.0/16}}\n",
                b % 256
            );
            i += 1;
        }
        if i < n {
            let _ = write!(t, "  Table{b}:\n    Type: AWS::EC2::RouteTable\n    Properties: {{VpcId: !Ref Vpc{b}}}\n");
            i += 1;
        }
        if i < n {
            let _ = write!(
                t,
                "  Task{b}:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n      NetworkMode: awsvpc\n      RequiresCompatibilities: [FARGATE]\n      Cpu: 256\n      Memory: 512\n      ContainerDefinitions:\n        - {{Name: app, Image: nginx, Memory: 128, PortMappings: [{{ContainerPort: 8000}}]}}\n"
            );
            i += 1;
        }
        if i < n {
            let _ = write!(
                t,
                "  Service{b}:\n    Type: AWS::ECS::Service\n    Properties:\n      TaskDefinition: !Ref Task{b}\n      LaunchType: FARGATE\n      DesiredCount: 1\n      NetworkConfiguration:\n        AwsvpcConfiguration:\n          Subnets: [!Ref Subnet{b}x0]\n          SecurityGroups: [!GetAtt Group{b}.GroupId]\n"
            );
            i += 1;
        }
        block += 1;
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use account::Account;

    #[test]
    fn five_hundred_resources_plan_cleanly() {
        let dir = std::env::temp_dir().join(format!("tasknet-synth-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("tmp");
        let path = dir.join("gen.yml");
        // CloudFormation's quota: 500 resources per template (`cfn::quotas`).
        std::fs::write(&path, template(500)).expect("write");
        let input = crate::StackInput { template_path: path, stack_name: "gen".into(), ..crate::StackInput::default() };
        let a = crate::analyze(&input, &Account::new_default()).expect("analyzes");
        let _ = std::fs::remove_dir_all(&dir);
        let errors: Vec<String> = a.diagnostics.iter().map(|d| format!("{} {}", d.code, d.message)).collect();
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(a.plan.resources.len(), 500);
    }
}
