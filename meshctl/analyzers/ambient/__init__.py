"""Ambient mode analyzers: waypoints, ztunnel enrolment, and L7 policy that needs a waypoint."""
