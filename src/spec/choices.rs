//! The closed sets of spellings a spec field accepts (`exposure: ingress`, `protocol:
//! HTTPS`), each an enum that reads and writes exactly its documented spelling and lists
//! the allowed ones when a value is wrong.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

macro_rules! spec_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, Default, JsonSchema)]
        pub enum $name {
            $($(#[$vm])* #[serde(rename = $text)] $variant,)+
        }
        impl $name {
            /// The spelling used in specs and policies.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text,)+ }
            }
        }
    };
}

spec_enum!(
    /// How the application is exposed.
    Exposure { #[default] /** LoadBalancer Service. */ Service = "service", /** L7 Ingress. */ Ingress = "ingress" }
);
impl Exposure {
    /// The kind of the object the exposure renders (`Service`, `Ingress`).
    pub fn kind(self) -> &'static str {
        match self {
            Exposure::Service => "Service",
            Exposure::Ingress => "Ingress",
        }
    }
}

spec_enum!(
    /// Address reachability.
    Network { #[default] /** Private address. */ Internal = "internal", /** Public address. */ Public = "public" }
);
spec_enum!(
    /// Shared or dedicated LB.
    Tier { #[default] /** Shared. */ Shared = "shared", /** Dedicated. */ Dedicated = "dedicated" }
);
spec_enum!(
    /// Where the LB sends traffic.
    Targets { #[default] /** Nodes via NodePort. */ Nodes = "nodes", /** Pod IPs directly. */ Pods = "pods" }
);
spec_enum!(
    /// Scheduling algorithm.
    Algorithm { #[default] /** Weighted round robin. */ RoundRobin = "round-robin", /** Weighted least connections. */ LeastConnections = "least-connections", /** Source-IP hash. */ SourceIp = "source-ip" }
);
spec_enum!(
    /// Stickiness mode.
    StickyMode { #[default] /** By client address. */ SourceIp = "source-ip", /** By a cookie the LB inserts. */ Cookie = "cookie", /** By the application's own cookie (`cookieName`), which the LB reads or rewrites. */ AppCookie = "app-cookie" }
);
spec_enum!(
    /// externalTrafficPolicy.
    TrafficPolicy { #[default] /** Cluster. */ Cluster = "cluster", /** Local. */ Local = "local" }
);
spec_enum!(
    /// Listener protocol.
    Protocol { #[default] /** TCP. */ Tcp = "TCP", /** UDP. */ Udp = "UDP", /** HTTP. */ Http = "HTTP", /** HTTPS. */ Https = "HTTPS", /** TLS terminated at the LB (needs certificateId), plain TCP to the pods. */ Tls = "TLS" }
);
spec_enum!(
    /// Health-check protocol.
    HealthProtocol { #[default] /** TCP connect. */ Tcp = "TCP", /** HTTP GET. */ Http = "HTTP", /** UDP. */ Udp = "UDP" }
);
spec_enum!(
    /// A class of HTTP status codes a health check counts as healthy.
    StatusClass { #[default] /** 200-299. */ Success = "2xx", /** 300-399. */ Redirect = "3xx", /** 400-499. */ ClientError = "4xx", /** 500-599. */ ServerError = "5xx" }
);
spec_enum!(
    /// HTTP method of a health check.
    HealthMethod { #[default] /** GET. */ Get = "GET", /** HEAD. */ Head = "HEAD" }
);
spec_enum!(
    /// Route path matching.
    PathMatch { #[default] /** Prefix. */ Prefix = "prefix", /** Exact. */ Exact = "exact", /** Regular expression. */ Regex = "regex" }
);
spec_enum!(
    /// Whether an access-control list admits only its addresses or all but them.
    AccessMode { #[default] /** Only the listed addresses may connect (allow list). */ Allow = "allow", /** The listed addresses may not connect (deny list). */ Deny = "deny" }
);
spec_enum!(
    /// How a new load balancer's instance is billed.
    Billing { #[default] /** By what it handles (capacity units used). */ PayByUsage = "pay-by-usage", /** By a fixed specification (flavour). */ PayBySpec = "pay-by-spec" }
);
spec_enum!(
    /// IP version of a load balancer's address.
    IpVersion { #[default] /** An IPv4 address. */ Ipv4 = "ipv4", /** An IPv6 address. */ Ipv6 = "ipv6", /** An IPv4 and an IPv6 address. */ DualStack = "dual-stack" }
);
