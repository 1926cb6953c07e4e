"""Format handlers, one module per format (the contract is ``airlock.scan.interface``; the order
they are tried in is ``airlock.scan.registry``).

Handler modules never import each other: what several share (pickle analysis, zip and tar
members) is in ``common``; rules several formats raise are in ``airlock.scan.*_rules``. Nothing
is imported here, so that ``airlock scan`` pays only for the handlers an object reaches.
"""
