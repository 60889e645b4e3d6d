"""Quality measures of a dance: body use against real mocap, realism (FID), and more to come."""
