//! `--out-dir` over time: a re-render removes exactly the files lbgen wrote before and no
//! longer renders (and says so), keeps every file the user put there, and `--check-dir`
//! counts only lbgen's files as extra.

mod common;

use std::path::Path;
use std::process::Command;

const SHOP: &str = "apiVersion: lbgen.dev/v1alpha1\nkind: LoadBalancer\nmetadata: {name: shop}\nspec:\n  provider: huawei\n  exposure: service\n  loadBalancer: {id: 5083f225-9bf8-48fa-9c8b-67bd9693c4c0}\n  selector: {app: shop}\n  ports: [{port: 80}]\n";

fn render(work: &Path, args: &[&str]) -> std::process::Output {
    Command::new(common::binary())
        .current_dir(work)
        .env("NO_COLOR", "1")
        .arg("render")
        .args(args)
        .output()
        .expect("run")
}

#[test]
fn a_rerender_removes_only_what_lbgen_wrote_and_no_longer_renders() {
    let tmp = tempfile::tempdir().expect("tmp");
    let work = tmp.path();
    std::fs::create_dir(work.join("specs")).expect("mkdir");
    std::fs::write(work.join("specs/shop.yaml"), SHOP).expect("write");
    std::fs::write(
        work.join("specs/cart.yaml"),
        SHOP.replace("name: shop}", "name: cart}"),
    )
    .expect("write");
    // A passed-through object carries no label of lbgen's: the inventory knows it.
    std::fs::write(
        work.join("specs/config.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: default}\ndata: {a: b}\n",
    )
    .expect("write");
    let first = render(work, &["-f", "specs", "--out-dir", "out"]);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let inventory = std::fs::read_to_string(work.join("out/.lbgen-files")).expect("inventory");
    for file in [
        "default/service-cart.yaml",
        "default/service-shop.yaml",
        "default/configmap-settings.yaml",
    ] {
        assert!(
            inventory.lines().any(|l| l == file),
            "{file} in\n{inventory}"
        );
    }
    // The user's own files beside the rendering.
    std::fs::write(
        work.join("out/default/hand-written.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: mine}\n",
    )
    .expect("write");
    std::fs::write(work.join("out/kustomization.yaml"), "resources: []\n").expect("write");
    std::fs::write(work.join("out/README.md"), "ours\n").expect("write");

    std::fs::remove_file(work.join("specs/cart.yaml")).expect("rm");
    std::fs::remove_file(work.join("specs/config.yaml")).expect("rm");
    let second = render(work, &["-f", "specs", "--out-dir", "out"]);
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(second.status.success(), "{stderr}");
    assert!(
        !work.join("out/default/service-cart.yaml").exists(),
        "the deleted spec's Service is gone"
    );
    assert!(
        !work.join("out/default/configmap-settings.yaml").exists(),
        "so is the dropped passed-through object"
    );
    assert!(
        stderr.contains("removed: out/default/service-cart.yaml"),
        "{stderr}"
    );
    assert!(
        stderr.contains("removed: out/default/configmap-settings.yaml"),
        "{stderr}"
    );
    assert!(work.join("out/default/service-shop.yaml").exists());
    for kept in [
        "out/default/hand-written.yaml",
        "out/kustomization.yaml",
        "out/README.md",
    ] {
        assert!(work.join(kept).exists(), "{kept} is the user's and stays");
    }
    assert!(!stderr.contains("hand-written"), "{stderr}");

    // --check-dir: the user's file is not drift, a file lbgen wrote and no longer renders is.
    let clean = render(work, &["-f", "specs", "--check-dir", "out"]);
    assert_eq!(
        clean.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&clean.stderr)
    );
    std::fs::write(
        work.join("out/default/service-old.yaml"),
        "metadata:\n  labels:\n    app.kubernetes.io/managed-by: kubectl-lbgen\n",
    )
    .expect("write");
    let stale = render(work, &["-f", "specs", "--check-dir", "out"]);
    let stale_err = String::from_utf8_lossy(&stale.stderr);
    assert_eq!(stale.status.code(), Some(1), "{stale_err}");
    assert!(
        stale_err.contains("extra:   out/default/service-old.yaml"),
        "{stale_err}"
    );
    assert!(!stale_err.contains("hand-written"), "{stale_err}");
}
