"""Dispatch (L3): the route tree, and the aggregation groups alerts are batched into."""
