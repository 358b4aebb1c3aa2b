"""The performance benchmark (issue 8): a data generator at three scales, a pandas reference, the
hand-written single-query limit and a runner. Benchmark code only: the product never imports it.
"""
