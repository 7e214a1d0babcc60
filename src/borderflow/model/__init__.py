"""The flow model: network spec, calibration, scenarios and sweeps."""
