"""Every quality measure of a dance or of an analysis, in one place (one implementation each,
used by the CLI, the tests and the benchmarks alike):

- :mod:`.motion_metrics`: BAS, PFC, foot skating, kinetic features and Div_k (DESIGN.md);
- :mod:`.beat_tracking`: the beat and downbeat F-measure (mir_eval conventions);
- :mod:`.scorecard`: those metrics together for any motion on any song (``eightcount metrics``);
- :mod:`.body_use` and :mod:`.realism`: body use against real mocap, FID_k and FID_g;
- :mod:`.reference`: the real dance they are read against;
- the choreography scorecard, per part and for the whole routine: :mod:`.scorecard_figures`
  (what is measured, in plain words), :mod:`.scorecard_measure`, :mod:`.scorecard_reference`
  (the real ranges that ship), :mod:`.scorecard_card` (verdicts, style, the job) and
  :mod:`.scorecard_report` (HTML).

Scoring a take against a reference and style classification are to live here too.
"""
