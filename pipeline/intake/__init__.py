"""Intake from the watched inbox: stable files claimed into the spool exactly once, routed, handed
back to the clerk, recovered after a crash; `audit` checks nothing was lost or doubled."""
