"""Ingest and check on a Dask cluster: the client plans and hands out batches, workers
read, extract and check them and write to the one PostgreSQL store.

The store stays the single source of truth. A worker keeps nothing between tasks (each
opens the store from its URL), and every task is safe to run twice, because the scheduler
runs a lost worker's task again elsewhere. Imported only by the commands that take
`--scheduler`, so nothing else loads `distributed`.
"""
