"""ztunnel's admin ``/config_dump``: parsing and the views of ``meshctl ztunnel-config``."""
