"""French: names, organizations and roles as French newspapers write them."""
