//! `check --target` against real load balancers on 127.0.0.1: nginx (Debian
//! `nginx-light`) and HAProxy, configured with a spec's algorithm and weights, in front of
//! loopback backends that name themselves. A correctly configured peer must pass and a
//! wrongly weighted one must fail with exit 1; nginx's real pick order must equal
//! `check --sequence`.
//!
//! Each test starts its own balancer as a foreground process on free ports in a temp
//! dir and kills it by PID when done (also on panic). `scripts/test` installs both
//! packages; every request has a timeout, so a broken peer cannot hang the suite.

mod common;

use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// A load balancer process, killed and reaped on drop.
struct Peer {
    child: Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Peer {
    fn url(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }
}

fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind an ephemeral port");
    listener.local_addr().expect("local addr").port()
}

/// Starts `program args` and waits until every port accepts connections.
fn start(program: &str, args: &[&str], dir: tempfile::TempDir, ports: &[u16]) -> Peer {
    // Debian puts both in /usr/sbin, which a non-login PATH may lack.
    let sbin = Path::new("/usr/sbin").join(program);
    let exe = if sbin.exists() {
        sbin.as_path()
    } else {
        Path::new(program)
    };
    let child = Command::new(exe)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{program} must be installed (scripts/test does it): {e}"));
    let mut peer = Peer {
        child,
        port: ports[0],
        _dir: dir,
    };
    let deadline = Instant::now() + Duration::from_secs(10);
    for port in ports {
        while TcpStream::connect(("127.0.0.1", *port)).is_err() {
            if let Ok(Some(status)) = peer.child.try_wait() {
                panic!("{program} exited early with {status}");
            }
            assert!(
                Instant::now() < deadline,
                "{program} did not listen on {port}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    peer
}

/// nginx with `upstream_extra` (e.g. `least_conn;`) over `backends` (name, weight), each
/// backend a server block of the same process answering with its name. The front adds
/// `x-upstream: $upstream_addr`, for checks that map addresses with `--id-map`.
fn nginx(backends: &[(&str, u32)], upstream_extra: &str) -> (Peer, Vec<u16>) {
    let dir = tempfile::tempdir().expect("tempdir");
    let front = free_port();
    let ports: Vec<u16> = backends.iter().map(|_| free_port()).collect();
    let d = dir.path().display();
    let mut servers = String::new();
    let mut blocks = String::new();
    for ((name, weight), port) in backends.iter().zip(&ports) {
        servers.push_str(&format!("    server 127.0.0.1:{port} weight={weight};\n"));
        blocks.push_str(&format!(
            "  server {{ listen 127.0.0.1:{port}; location / {{ add_header x-lbgen-backend {name}; return 200 \"{name}\\n\"; }} }}\n"
        ));
    }
    let conf = format!(
        "daemon off;\nmaster_process off;\nworker_processes 1;\npid {d}/nginx.pid;\nerror_log {d}/error.log;\n\
         events {{ worker_connections 512; }}\n\
         http {{\n  access_log off;\n  client_body_temp_path {d}/body;\n  proxy_temp_path {d}/proxy;\n\
         upstream pool {{\n    {upstream_extra}\n{servers}  }}\n\
         server {{ listen 127.0.0.1:{front}; location / {{ proxy_pass http://pool; add_header x-upstream $upstream_addr; }} }}\n\
         {blocks}}}\n"
    );
    std::fs::write(dir.path().join("nginx.conf"), conf).expect("write nginx.conf");
    let conf_path = dir.path().join("nginx.conf");
    let error_log = dir.path().join("error.log");
    let prefix = format!("{d}/");
    let args = [
        "-p",
        prefix.as_str(),
        "-e",
        path_str(&error_log),
        "-c",
        path_str(&conf_path),
    ];
    let mut all = vec![front];
    all.extend(&ports);
    (start("nginx", &args, dir, &all), ports)
}

/// HAProxy with `balance <balance>` over `backends`, each backend a frontend of the same
/// process that answers with its name in `x-lbgen-backend`.
fn haproxy(backends: &[(&str, u32)], balance: &str) -> Peer {
    haproxy_with(backends, balance, "")
}

/// `haproxy` with extra lines in the balancing backend (a stick table).
fn haproxy_with(backends: &[(&str, u32)], balance: &str, extra: &str) -> Peer {
    let dir = tempfile::tempdir().expect("tempdir");
    let front = free_port();
    let ports: Vec<u16> = backends.iter().map(|_| free_port()).collect();
    let mut conf = format!(
        "global\n  maxconn 512\ndefaults\n  mode http\n  timeout connect 2s\n  timeout client 10s\n  timeout server 10s\n\
         frontend front\n  bind 127.0.0.1:{front}\n  default_backend pool\n\
         backend pool\n  balance {balance}\n{extra}"
    );
    for ((name, weight), port) in backends.iter().zip(&ports) {
        conf.push_str(&format!(
            "  server {name} 127.0.0.1:{port} weight {weight}\n"
        ));
    }
    for ((name, _), port) in backends.iter().zip(&ports) {
        conf.push_str(&format!(
            "frontend be-{name}\n  bind 127.0.0.1:{port}\n  http-request return status 200 content-type text/plain string \"{name}\" hdr x-lbgen-backend \"{name}\"\n"
        ));
    }
    let path = dir.path().join("haproxy.cfg");
    std::fs::write(&path, conf).expect("write haproxy.cfg");
    let mut all = vec![front];
    all.extend(&ports);
    start("haproxy", &["-db", "-f", path_str(&path)], dir, &all)
}

fn path_str(p: &Path) -> &str {
    p.to_str().expect("utf-8 temp path")
}

fn fixture(name: &str) -> String {
    format!("tests/fixtures/check/{name}")
}

/// Runs the binary with a hard time limit.
fn lbgen(args: &[&str]) -> Output {
    let mut child = Command::new(common::binary())
        .current_dir(common::root())
        .env("NO_COLOR", "1")
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run kubectl-lbgen");
    let deadline = Instant::now() + Duration::from_secs(120);
    while child.try_wait().expect("wait").is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("kubectl-lbgen {args:?} did not finish in 120 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("output")
}

fn check_target(spec: &str, url: &str, extra: &[&str]) -> (i32, String) {
    let spec = fixture(spec);
    let mut args = vec!["check", "-f", spec.as_str(), "--target", url];
    args.extend(extra);
    args.extend(["--max-time", "60s"]);
    let out = lbgen(&args);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let code = out.status.code().expect("exit code");
    (code, stdout + &String::from_utf8_lossy(&out.stderr))
}

#[test]
fn nginx_picks_in_the_order_check_sequence_prints() {
    let (peer, _) = nginx(&[("a", 5), ("b", 1), ("c", 1)], "");
    let spec = fixture("weighted-5-1-1.yaml");
    let expected = lbgen(&["check", "-f", &spec, "--sequence", "21"]);
    assert!(expected.status.success());
    let expected = String::from_utf8_lossy(&expected.stdout).replace('\n', " ");
    assert!(
        expected.starts_with("a a b a c a a a a b a c a a"),
        "{expected}"
    );
    // One request at a time, so nginx's order is observable.
    let mut seen = String::new();
    for _ in 0..21 {
        let out = lbgen_probe_once(&peer.url());
        seen.push_str(&out);
        seen.push(' ');
    }
    assert_eq!(seen, expected);
}

/// The backend of one GET through the peer, read with `check` itself (one request).
fn lbgen_probe_once(url: &str) -> String {
    let spec = fixture("weighted-5-1-1.yaml");
    let out = lbgen(&[
        "check",
        "-f",
        &spec,
        "--target",
        url,
        "--requests",
        "1",
        "-o",
        "json",
    ]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json report");
    let rows = report["tables"][0]["rows"]
        .as_array()
        .expect("rows")
        .clone();
    let hit: Vec<&str> = rows
        .iter()
        .filter(|r| r["count"] == 1)
        .filter_map(|r| r["backend"].as_str())
        .collect();
    assert_eq!(hit.len(), 1, "{report}");
    hit[0].to_string()
}

#[test]
fn nginx_with_the_spec_weights_passes_and_a_five_point_error_fails() {
    let (good, _) = nginx(&[("tea-svc", 80), ("coffee-svc", 20)], "");
    let (code, out) = check_target("weighted-80-20.yaml", &good.url(), &["--requests", "1000"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("every promise holds"), "{out}");

    let (bad, _) = nginx(&[("tea-svc", 75), ("coffee-svc", 25)], "");
    let (code, out) = check_target("weighted-80-20.yaml", &bad.url(), &["--requests", "1000"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("BROKEN shares"), "{out}");
}

#[test]
fn nginx_least_conn_identified_by_upstream_address_through_id_map() {
    let (peer, ports) = nginx(&[("tea-svc", 80), ("coffee-svc", 20)], "least_conn;");
    let map = format!(
        "tea-svc=127.0.0.1:{},coffee-svc=127.0.0.1:{}",
        ports[0], ports[1]
    );
    let args = [
        "--requests",
        "1000",
        "--concurrency",
        "1",
        "--id-header",
        "x-upstream",
        "--id-map",
        map.as_str(),
    ];
    let (code, out) = check_target("least-connections-80-20.yaml", &peer.url(), &args);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("ok     shares"), "{out}");
    // Concurrent short requests are spread by open connections: not judged by weight.
    let mut concurrent = args;
    concurrent[3] = "8";
    let (code, out) = check_target("least-connections-80-20.yaml", &peer.url(), &concurrent);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("-      shares"), "{out}");
    // Without the map the addresses name no backend: the check must say so and fail.
    let (code, out) = check_target(
        "least-connections-80-20.yaml",
        &peer.url(),
        &["--requests", "50", "--id-header", "x-upstream"],
    );
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("BROKEN answered"), "{out}");
}

#[test]
fn haproxy_roundrobin_passes_with_the_spec_weights_and_fails_without() {
    let good = haproxy(&[("tea-svc", 80), ("coffee-svc", 20)], "roundrobin");
    let (code, out) = check_target(
        "weighted-80-20.yaml",
        &good.url(),
        &["--requests", "1000", "--concurrency", "4"],
    );
    assert_eq!(code, 0, "{out}");

    let bad = haproxy(&[("tea-svc", 1), ("coffee-svc", 1)], "roundrobin");
    let (code, out) = check_target("weighted-80-20.yaml", &bad.url(), &["--requests", "1000"]);
    assert_eq!(code, 1, "{out}");
}

#[test]
fn haproxy_source_keeps_one_client_on_one_pod_and_roundrobin_does_not() {
    let pods = [("pod-1", 1), ("pod-2", 1), ("pod-3", 1)];
    let good = haproxy(&pods, "source");
    let (code, out) = check_target("source-ip.yaml", &good.url(), &["--requests", "200"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("ok     source-ip-consistent"), "{out}");

    let bad = haproxy(&pods, "roundrobin");
    let (code, out) = check_target("source-ip.yaml", &bad.url(), &["--requests", "200"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("BROKEN source-ip-consistent"), "{out}");
}

#[test]
fn a_closed_port_is_unreachable() {
    let port = free_port();
    let url = format!("http://127.0.0.1:{port}/");
    let (code, out) = check_target("weighted-80-20.yaml", &url, &["--requests", "10"]);
    assert_eq!(code, 3, "{out}");
    assert!(out.contains("cannot reach"), "{out}");
}

#[test]
fn haproxy_stick_table_keeps_the_session_and_plain_roundrobin_breaks_it() {
    let pods = [("pod-1", 1), ("pod-2", 1), ("pod-3", 1)];
    let table = "  stick-table type ip size 1k expire 30m\n  stick on src\n";
    let good = haproxy_with(&pods, "roundrobin", table);
    // One request at a time: a stick table learns a client on its first response, so
    // concurrent first requests could legitimately land on different pods.
    let sequential = ["--requests", "100", "--concurrency", "1"];
    let (code, out) = check_target("sticky-30m.yaml", &good.url(), &sequential);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("ok     sticky-inside-timeout      0 of 99"),
        "{out}"
    );

    let bad = haproxy(&pods, "roundrobin");
    let (code, out) = check_target("sticky-30m.yaml", &bad.url(), &sequential);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("BROKEN sticky-inside-timeout"), "{out}");
}
