//! Transaction Search, which makes the runtime's spans land in the `aws/spans` log group where
//! `agentcore traces` (and the CloudWatch console) read them: a CloudWatch Logs resource policy
//! that lets X-Ray write there, and X-Ray's trace segment destination set to CloudWatch Logs, as
//! the official tools do on deploy. Account-wide, so each piece is changed only when it is not
//! already so, and the deploy says what it changed. Best effort: a failure is a warning.

use serde_json::{Value, json};

use super::{Deploy, step};

pub const POLICY_NAME: &str = "TransactionSearchXRayAccess";
/// What to do when a Transaction Search step fails: the agent runs; only its spans wait.
const HINT: &str = "the agent is deployed, but its spans reach CloudWatch only once Transaction Search is on: switch it on in the CloudWatch console (Application Signals, Transaction Search), or pass --no-transaction-search to skip this step";

/// X-Ray may put span and Application Signals events in this account's log groups.
pub fn resource_policy(account: &str, region: &str) -> Value {
    let p = super::role::partition(region);
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "TransactionSearchXRayAccess",
            "Effect": "Allow",
            "Principal": { "Service": "xray.amazonaws.com" },
            "Action": "logs:PutLogEvents",
            "Resource": [
                format!("arn:{p}:logs:{region}:{account}:log-group:aws/spans:*"),
                format!("arn:{p}:logs:{region}:{account}:log-group:/aws/application-signals/data:*"),
            ],
            "Condition": {
                "ArnLike": { "aws:SourceArn": format!("arn:{p}:xray:{region}:{account}:*") },
                "StringEquals": { "aws:SourceAccount": account },
            },
        }]
    })
}

impl Deploy<'_> {
    /// Switches Transaction Search on where it is off (unless `--no-transaction-search` or the
    /// agent's observability is off).
    pub(super) async fn transaction_search(&mut self) {
        if self.args.no_transaction_search || !self.agent.aws.observability.enabled {
            return;
        }
        let mut changed = Vec::new();
        match self.logs_policy().await {
            Ok(true) => changed.push(format!(
                "CloudWatch Logs resource policy {POLICY_NAME} (X-Ray may write aws/spans)"
            )),
            Ok(false) => {}
            Err(e) => self.warnings.push(format!(
                "Transaction Search: could not check or put the logs resource policy ({e}); {HINT}"
            )),
        }
        match self.segment_destination().await {
            Ok(true) => changed.push("X-Ray trace segment destination: CloudWatchLogs".into()),
            Ok(false) => {}
            Err(e) => self.warnings.push(format!("Transaction Search: could not set X-Ray's trace segment destination to CloudWatch Logs ({e}); {HINT}")),
        }
        let p = &self.ctx.printer;
        if changed.is_empty() {
            p.status("Transaction Search: already on");
        } else {
            p.status(format!(
                "Transaction Search switched on: {}",
                changed.join("; ")
            ));
        }
        self.steps.push(step(
            "update",
            "transaction-search",
            json!({ "changed": changed }),
        ));
    }

    /// What `--dry-run` shows: the Transaction Search calls deploy would make, found with
    /// read calls only; `None` when deploy would not look (`--no-transaction-search`, or
    /// observability off).
    pub(super) async fn transaction_search_step(&self) -> Option<super::report::Step> {
        if self.args.no_transaction_search || !self.agent.aws.observability.enabled {
            return None;
        }
        let mut detail = serde_json::Map::new();
        let mut unchecked = Vec::new();
        match self.policy_present().await {
            Ok(true) => {}
            Ok(false) => {
                let doc = resource_policy(&self.account, &self.region);
                let put = json!({ "policyName": POLICY_NAME, "policyDocument": doc });
                detail.insert("PutResourcePolicy".into(), put);
            }
            Err(e) => unchecked.push(format!("the logs resource policy: {e}")),
        }
        match self.destination_is_logs().await {
            Ok(true) => {}
            Ok(false) => {
                let update = json!({ "Destination": "CloudWatchLogs" });
                detail.insert("UpdateTraceSegmentDestination".into(), update);
            }
            Err(e) => unchecked.push(format!("X-Ray's trace segment destination: {e}")),
        }
        if !unchecked.is_empty() {
            detail.insert("could not check".into(), json!(unchecked));
        }
        let action = match detail.is_empty() {
            true => "leave",
            false => "update",
        };
        Some(step(action, "transaction-search", Value::Object(detail)))
    }

    /// Whether the logs resource policy Transaction Search needs is there.
    async fn policy_present(&self) -> Result<bool, String> {
        let found = crate::aws::logs(&self.conf)
            .describe_resource_policies()
            .send()
            .await
            .map_err(|e| crate::aws::error_text(&e))?;
        Ok(found
            .resource_policies()
            .iter()
            .any(|p| p.policy_name() == Some(POLICY_NAME)))
    }

    /// Whether X-Ray's trace segments go to CloudWatch Logs already.
    async fn destination_is_logs(&self) -> Result<bool, String> {
        use aws_sdk_xray::types::TraceSegmentDestination;
        let now = crate::aws::xray(&self.conf)
            .get_trace_segment_destination()
            .send()
            .await
            .map_err(|e| crate::aws::error_text(&e))?;
        Ok(now.destination() == Some(&TraceSegmentDestination::CloudWatchLogs))
    }

    /// Puts the resource policy when no policy of that name exists; whether it did.
    async fn logs_policy(&self) -> Result<bool, String> {
        if self.policy_present().await? {
            return Ok(false);
        }
        crate::aws::logs(&self.conf)
            .put_resource_policy()
            .policy_name(POLICY_NAME)
            .policy_document(resource_policy(&self.account, &self.region).to_string())
            .send()
            .await
            .map_err(|e| crate::aws::error_text(&e))?;
        Ok(true)
    }

    /// Sets the destination to CloudWatch Logs when it is not; whether it did.
    async fn segment_destination(&self) -> Result<bool, String> {
        use aws_sdk_xray::types::TraceSegmentDestination;
        if self.destination_is_logs().await? {
            return Ok(false);
        }
        let xray = crate::aws::xray(&self.conf);
        xray.update_trace_segment_destination()
            .destination(TraceSegmentDestination::CloudWatchLogs)
            .send()
            .await
            .map_err(|e| crate::aws::error_text(&e))?;
        Ok(true)
    }
}
