//! NLB zone mappings read back (`kubectl lbgen import`): the inverse of `service.rs`'s
//! `zone-maps` value, with the EIP of each zone. Apart from `import.rs` for its size.

use serde_json::{Value, json};

/// NLB `zone:vsw,zone:vsw`, each with an EIP as `zone:vsw::eip` (an empty private address
/// before it; NLB annotation page, zone-maps; nlbv2 parseZoneMappings), as creation
/// parameters; the EIPs, as the render writes them, for a leading run of zones.
pub(super) fn zone_maps(text: &str) -> Option<Value> {
    let (mut zones, mut subnets, mut eips) = (Vec::new(), Vec::new(), Vec::new());
    for entry in text.split(',') {
        let parts: Vec<&str> = entry.split(':').collect();
        match parts.as_slice() {
            [zone, vsw] => {
                zones.push(*zone);
                subnets.push(*vsw);
            }
            [zone, vsw, "", eip] if eips.len() == zones.len() => {
                zones.push(*zone);
                subnets.push(*vsw);
                eips.push(*eip);
            }
            _ => return None,
        }
    }
    let mut create = json!({"zones": zones, "subnetIds": subnets});
    if !eips.is_empty() {
        create["eipIds"] = json!(eips);
    }
    Some(create)
}

#[cfg(test)]
mod tests {
    use super::zone_maps;
    use serde_json::json;

    #[test]
    fn zone_maps_read_back_with_their_eips() {
        assert_eq!(
            zone_maps("z-a:vsw-a::eip-a,z-b:vsw-b::eip-b"),
            Some(
                json!({"zones": ["z-a", "z-b"], "subnetIds": ["vsw-a", "vsw-b"], "eipIds": ["eip-a", "eip-b"]})
            )
        );
        assert_eq!(
            zone_maps("z-a:vsw-a"),
            Some(json!({"zones": ["z-a"], "subnetIds": ["vsw-a"]}))
        );
        // A private address, or an EIP after a zone without one, is not what lbgen writes.
        assert_eq!(zone_maps("z-a:vsw-a:10.0.0.1:eip-a"), None);
        assert_eq!(zone_maps("z-a:vsw-a,z-b:vsw-b::eip-b"), None);
    }
}
