//! `regclean._native`: the engine-free core (`regclean::batch`) for Python, on pyarrow record
//! batches.
//!
//! Batches cross through the Arrow C Data Interface (`arrow-pyarrow`): a pyarrow batch comes in
//! without its columns being copied, and the cleaned batch goes back holding the caller's own
//! columns untouched beside the added ones. The Python package (`regclean/`) wraps this module;
//! `regclean.spark` runs it on the partitions of a Spark DataFrame. Errors are regclean's own
//! sentences, raised as `ValueError`; they never hold a value of the register.

use arrow_array::RecordBatch;
use arrow_pyarrow::PyArrowType;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyType;
use regclean::batch;

fn err(e: regclean::Error) -> PyErr {
    PyValueError::new_err(e.to_string())
}

/// How the batches of one table are read and cleaned: its columns, the config (TOML text, the
/// CLI's regclean.toml) and the reference date, and once decided, what the whole table's counts
/// decided. Picklable, so an engine can ship a decided plan to its workers.
#[pyclass(module = "regclean._native", skip_from_py_object)]
#[derive(Clone)]
struct Plan {
    columns: Vec<String>,
    config: String,
    as_of: String,
    config_name: String,
    /// The source the table is (the CLI's `source`: its file name without the extension).
    source: String,
    /// The tally it was decided on, as JSON.
    decided_on: Option<String>,
    plan: batch::Plan,
}

#[pymethods]
impl Plan {
    #[new]
    #[pyo3(signature = (columns, as_of, config = String::new(), config_name = "regclean.toml".to_string(), source = "table".to_string()))]
    fn new(columns: Vec<String>, as_of: String, config: String, config_name: String, source: String) -> PyResult<Plan> {
        let plan = batch::Plan::from_text(&config, &config_name, &as_of, &columns).map_err(err)?.with_source(&source);
        Ok(Plan { columns, config, as_of, config_name, source, decided_on: None, plan })
    }

    /// The counts one batch gives (JSON): add every batch's with `add_tallies`, then `decide`.
    fn tally(&self, py: Python<'_>, batch: PyArrowType<RecordBatch>) -> PyResult<String> {
        let plan = &self.plan;
        py.detach(|| plan.tally(&batch.0)).map(|t| t.to_json()).map_err(err)
    }

    /// The plan decided on the whole table's counts (`add_tallies` of every batch's `tally`).
    fn decide(&self, tally: &str) -> PyResult<Plan> {
        let t = batch::Tally::from_json(tally).map_err(err)?;
        Ok(Plan { decided_on: Some(t.to_json()), plan: self.plan.decide(&t), ..self.clone() })
    }

    /// The names of the text columns `normalise` adds after the batch's own.
    fn added_columns(&self) -> PyResult<Vec<String>> {
        self.plan.added_columns().map_err(err)
    }

    /// The batch with every row cleaned: its own columns as they are, then `added_columns()`.
    fn normalise(&self, py: Python<'_>, batch: PyArrowType<RecordBatch>) -> PyResult<PyArrowType<RecordBatch>> {
        let plan = &self.plan;
        py.detach(|| plan.normalise(&batch.0)).map(PyArrowType).map_err(err)
    }

    /// How each column maps onto fields (JSON, report.json's `header_mapping`): which field a
    /// column is read as, and why the others pass through.
    fn header_mapping(&self) -> String {
        self.plan.header_mapping()
    }

    /// The names of the columns `merge` returns.
    fn golden_columns(&self) -> PyResult<Vec<String>> {
        self.plan.golden_columns().map_err(err)
    }

    /// The golden records of the clusters whose rows the batch holds (every member of each):
    /// the batch is what `normalise` gave plus a `golden_id` column. `survivorship` and `stale`
    /// are the texts of a rules folder's survivorship.toml and stale.toml ("" for the built-in
    /// rules).
    #[pyo3(signature = (batch, survivorship = "", stale = ""))]
    fn merge(
        &self,
        py: Python<'_>,
        batch: PyArrowType<RecordBatch>,
        survivorship: &str,
        stale: &str,
    ) -> PyResult<PyArrowType<RecordBatch>> {
        let rules = if survivorship.trim().is_empty() {
            Default::default()
        } else {
            regclean::merge::rules::Survivorship::parse(survivorship, std::path::Path::new("survivorship.toml"))
                .map_err(err)?
        };
        let policy = if stale.trim().is_empty() {
            Default::default()
        } else {
            regclean::stale::Policy::parse(stale, std::path::Path::new("stale.toml")).map_err(err)?
        };
        let plan = &self.plan;
        py.detach(|| plan.merge(&batch.0, &rules, &policy)).map(PyArrowType).map_err(err)
    }

    /// Whether `decide` has been called.
    #[getter]
    fn decided(&self) -> bool {
        self.decided_on.is_some()
    }

    /// The table's columns as the plan reads them (trimmed, repeated names made unique).
    #[getter]
    fn columns(&self) -> Vec<String> {
        self.plan.headers().to_vec()
    }

    fn __reduce__(
        &self,
        py: Python<'_>,
    ) -> PyResult<(Py<PyType>, (Vec<String>, String, String, String, String), Option<String>)> {
        let cls = py.get_type::<Plan>().unbind();
        let args = (
            self.columns.clone(),
            self.as_of.clone(),
            self.config.clone(),
            self.config_name.clone(),
            self.source.clone(),
        );
        Ok((cls, args, self.decided_on.clone()))
    }

    fn __setstate__(&mut self, state: Option<String>) -> PyResult<()> {
        if let Some(tally) = state {
            *self = self.decide(&tally)?;
        }
        Ok(())
    }
}

/// The sum of tallies (JSON each), in any order and grouping.
#[pyfunction]
fn add_tallies(tallies: Vec<String>) -> PyResult<String> {
    let mut sum = batch::Tally::default();
    for t in &tallies {
        sum.add(&batch::Tally::from_json(t).map_err(err)?);
    }
    Ok(sum.to_json())
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Plan>()?;
    m.add_function(wrap_pyfunction!(add_tallies, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("ROW_COLUMNS", batch::ROW_COLUMNS.to_vec())?;
    Ok(())
}
