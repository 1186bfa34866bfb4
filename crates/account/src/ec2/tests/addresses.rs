//! Property: whatever interfaces come and go, a subnet hands out its lowest
//! free address and its AvailableIpAddressCount is size − 5 − used.

use crate::account::Account;
use crate::ec2::{CreateNetworkInterface, RESERVED_PER_SUBNET};
use proptest::prelude::*;

proptest! {
    #[test]
    fn available_count_is_size_minus_reserved_minus_used(ops in proptest::collection::vec((any::<bool>(), 0usize..64), 1..120)) {
        let mut a = Account::empty("123456789012", "us-east-1");
        let vpc = a.create_vpc("10.0.0.0/16").expect("vpc").vpc_id;
        // A /26: 64 addresses, 59 usable, so the ops also run it full.
        let subnet = a.create_subnet(&vpc, "10.0.0.0/26", None).expect("subnet");
        let size = subnet.cidr_block.size();
        let mut live: Vec<String> = Vec::new();
        for (create, pick) in ops {
            if create || live.is_empty() {
                let expected = a.next_free_address(&subnet.subnet_id).expect("subnet");
                match a.create_network_interface(CreateNetworkInterface::new(&subnet.subnet_id)) {
                    Ok(eni) => {
                        prop_assert_eq!(Some(eni.private_ip_address), expected);
                        let offset = subnet.cidr_block.offset_of(eni.private_ip_address).expect("inside");
                        prop_assert!((4..size - 1).contains(&offset), "reserved address handed out");
                        live.push(eni.network_interface_id);
                    }
                    Err(e) => {
                        prop_assert_eq!(e.code(), "InsufficientFreeAddressesInSubnet");
                        prop_assert_eq!(expected, None);
                    }
                }
            } else {
                let id = live.remove(pick % live.len());
                a.delete_network_interface(&id).expect("delete");
            }
            let count = a.subnets[&subnet.subnet_id].available_ip_address_count;
            prop_assert_eq!(count, size - RESERVED_PER_SUBNET - live.len() as u64);
            prop_assert_eq!(a.used_addresses(&subnet.subnet_id).len(), live.len());
        }
    }
}
