//! ECS task definitions.
//!
//! Property names, types and `required` from the CloudFormation resource
//! schemas for us-east-1 (as shipped in cfn-lint 1.51.0, May 2026); GetAtt
//! names from the schemas' readOnlyProperties. Generated, then checked by hand.

#[allow(unused_imports)]
use super::types::{opt, req, ANY, B, I, J, N, S};
use super::{PropType as T, ResourceSpec};

const CONTAINER_DEPENDENCY: T = T::Struct(&[opt("Condition", S), opt("ContainerName", S)]);

const KEY_VALUE_PAIR: T = T::Struct(&[opt("Name", S), opt("Value", S)]);

const ENVIRONMENT_FILE: T = T::Struct(&[opt("Type", S), opt("Value", S)]);

const HOST_ENTRY: T = T::Struct(&[opt("Hostname", S), opt("IpAddress", S)]);

const FIRELENS_CONFIGURATION: T = T::Struct(&[opt("Options", T::Map(&S)), opt("Type", S)]);

const HEALTH_CHECK: T = T::Struct(&[
    opt("Command", T::List(&S)),
    opt("Interval", I),
    opt("Retries", I),
    opt("StartPeriod", I),
    opt("Timeout", I),
]);

const KERNEL_CAPABILITIES: T = T::Struct(&[opt("Add", T::List(&S)), opt("Drop", T::List(&S))]);

const DEVICE: T = T::Struct(&[opt("ContainerPath", S), opt("HostPath", S), opt("Permissions", T::List(&S))]);

const TMPFS: T = T::Struct(&[opt("ContainerPath", S), opt("MountOptions", T::List(&S)), req("Size", I)]);

const LINUX_PARAMETERS: T = T::Struct(&[
    opt("Capabilities", KERNEL_CAPABILITIES),
    opt("Devices", T::List(&DEVICE)),
    opt("InitProcessEnabled", B),
    opt("MaxSwap", I),
    opt("SharedMemorySize", I),
    opt("Swappiness", I),
    opt("Tmpfs", T::List(&TMPFS)),
]);

const SECRET: T = T::Struct(&[req("Name", S), req("ValueFrom", S)]);

const LOG_CONFIGURATION: T =
    T::Struct(&[req("LogDriver", S), opt("Options", T::Map(&S)), opt("SecretOptions", T::List(&SECRET))]);

const MOUNT_POINT: T = T::Struct(&[opt("ContainerPath", S), opt("ReadOnly", B), opt("SourceVolume", S)]);

const PORT_MAPPING: T = T::Struct(&[
    opt("AppProtocol", S),
    opt("ContainerPort", I),
    opt("ContainerPortRange", S),
    opt("HostPort", I),
    opt("Name", S),
    opt("Protocol", S),
]);

const REPOSITORY_CREDENTIALS: T = T::Struct(&[opt("CredentialsParameter", S)]);

const RESOURCE_REQUIREMENT: T = T::Struct(&[req("Type", S), req("Value", S)]);

const RESTART_POLICY: T =
    T::Struct(&[opt("Enabled", B), opt("IgnoredExitCodes", T::List(&I)), opt("RestartAttemptPeriod", I)]);

const SYSTEM_CONTROL: T = T::Struct(&[opt("Namespace", S), opt("Value", S)]);

const ULIMIT: T = T::Struct(&[req("HardLimit", I), req("Name", S), req("SoftLimit", I)]);

const VOLUME_FROM: T = T::Struct(&[opt("ReadOnly", B), opt("SourceContainer", S)]);

const CONTAINER_DEFINITION: T = T::Struct(&[
    opt("Command", T::List(&S)),
    opt("Cpu", I),
    opt("CredentialSpecs", T::List(&S)),
    opt("DependsOn", T::List(&CONTAINER_DEPENDENCY)),
    opt("DisableNetworking", B),
    opt("DnsSearchDomains", T::List(&S)),
    opt("DnsServers", T::List(&S)),
    opt("DockerLabels", T::Map(&S)),
    opt("DockerSecurityOptions", T::List(&S)),
    opt("EntryPoint", T::List(&S)),
    opt("Environment", T::List(&KEY_VALUE_PAIR)),
    opt("EnvironmentFiles", T::List(&ENVIRONMENT_FILE)),
    opt("Essential", B),
    opt("ExtraHosts", T::List(&HOST_ENTRY)),
    opt("FirelensConfiguration", FIRELENS_CONFIGURATION),
    opt("HealthCheck", HEALTH_CHECK),
    opt("Hostname", S),
    req("Image", S),
    opt("Interactive", B),
    opt("Links", T::List(&S)),
    opt("LinuxParameters", LINUX_PARAMETERS),
    opt("LogConfiguration", LOG_CONFIGURATION),
    opt("Memory", I),
    opt("MemoryReservation", I),
    opt("MountPoints", T::List(&MOUNT_POINT)),
    req("Name", S),
    opt("PortMappings", T::List(&PORT_MAPPING)),
    opt("Privileged", B),
    opt("PseudoTerminal", B),
    opt("ReadonlyRootFilesystem", B),
    opt("RepositoryCredentials", REPOSITORY_CREDENTIALS),
    opt("ResourceRequirements", T::List(&RESOURCE_REQUIREMENT)),
    opt("RestartPolicy", RESTART_POLICY),
    opt("Secrets", T::List(&SECRET)),
    opt("StartTimeout", I),
    opt("StopTimeout", I),
    opt("SystemControls", T::List(&SYSTEM_CONTROL)),
    opt("Ulimits", T::List(&ULIMIT)),
    opt("User", S),
    opt("VersionConsistency", S),
    opt("VolumesFrom", T::List(&VOLUME_FROM)),
    opt("WorkingDirectory", S),
]);

const EPHEMERAL_STORAGE: T = T::Struct(&[opt("SizeInGiB", I)]);

const INFERENCE_ACCELERATOR: T = T::Struct(&[opt("DeviceName", S), opt("DeviceType", S)]);

const TASK_DEFINITION_PLACEMENT_CONSTRAINT: T = T::Struct(&[opt("Expression", S), req("Type", S)]);

const PROXY_CONFIGURATION: T = T::Struct(&[
    req("ContainerName", S),
    opt("ProxyConfigurationProperties", T::List(&KEY_VALUE_PAIR)),
    opt("Type", S),
]);

const RUNTIME_PLATFORM: T = T::Struct(&[opt("CpuArchitecture", S), opt("OperatingSystemFamily", S)]);

const TAG: T = T::Struct(&[opt("Key", S), opt("Value", S)]);

const DOCKER_VOLUME_CONFIGURATION: T = T::Struct(&[
    opt("Autoprovision", B),
    opt("Driver", S),
    opt("DriverOpts", T::Map(&S)),
    opt("Labels", T::Map(&S)),
    opt("Scope", S),
]);

const AUTHORIZATION_CONFIG: T = T::Struct(&[opt("AccessPointId", S), opt("IAM", S)]);

const EFS_VOLUME_CONFIGURATION: T = T::Struct(&[
    opt("AuthorizationConfig", AUTHORIZATION_CONFIG),
    req("FilesystemId", S),
    opt("RootDirectory", S),
    opt("TransitEncryption", S),
    opt("TransitEncryptionPort", I),
]);

const FSX_AUTHORIZATION_CONFIG: T = T::Struct(&[req("CredentialsParameter", S), req("Domain", S)]);

const FSX_WINDOWS_FILE_SERVER_VOLUME_CONFIGURATION: T =
    T::Struct(&[opt("AuthorizationConfig", FSX_AUTHORIZATION_CONFIG), req("FileSystemId", S), req("RootDirectory", S)]);

const HOST_VOLUME_PROPERTIES: T = T::Struct(&[opt("SourcePath", S)]);

const S3_FILES_VOLUME_CONFIGURATION: T = T::Struct(&[
    opt("AccessPointArn", S),
    req("FileSystemArn", S),
    opt("RootDirectory", S),
    opt("TransitEncryptionPort", I),
]);

const VOLUME: T = T::Struct(&[
    opt("ConfiguredAtLaunch", B),
    opt("DockerVolumeConfiguration", DOCKER_VOLUME_CONFIGURATION),
    opt("EFSVolumeConfiguration", EFS_VOLUME_CONFIGURATION),
    opt("FSxWindowsFileServerVolumeConfiguration", FSX_WINDOWS_FILE_SERVER_VOLUME_CONFIGURATION),
    opt("Host", HOST_VOLUME_PROPERTIES),
    opt("Name", S),
    opt("S3FilesVolumeConfiguration", S3_FILES_VOLUME_CONFIGURATION),
]);

// AWS doc: "AWS::ECS::TaskDefinition"
pub(super) static TASK_DEFINITION_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::ECS::TaskDefinition",
    properties: &[
        opt("ContainerDefinitions", T::List(&CONTAINER_DEFINITION)),
        opt("Cpu", S),
        opt("EnableFaultInjection", B),
        opt("EphemeralStorage", EPHEMERAL_STORAGE),
        opt("ExecutionRoleArn", S),
        opt("Family", S),
        opt("InferenceAccelerators", T::List(&INFERENCE_ACCELERATOR)),
        opt("IpcMode", S),
        opt("Memory", S),
        opt("NetworkMode", S),
        opt("PidMode", S),
        opt("PlacementConstraints", T::List(&TASK_DEFINITION_PLACEMENT_CONSTRAINT)),
        opt("ProxyConfiguration", PROXY_CONFIGURATION),
        opt("RequiresCompatibilities", T::List(&S)),
        opt("RuntimePlatform", RUNTIME_PLATFORM),
        opt("Tags", T::List(&TAG)),
        opt("TaskRoleArn", S),
        opt("Volumes", T::List(&VOLUME)),
    ],
    attributes: &["TaskDefinitionArn"],
    ref_returns: "the task definition ARN, `...:task-definition/FAMILY:REVISION`",
};
