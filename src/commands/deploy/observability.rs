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

    /// Puts the resource policy when no policy of that name exists; whether it did.
    async fn logs_policy(&self) -> Result<bool, String> {
        let logs = crate::aws::logs(&self.conf);
        let found = logs
            .describe_resource_policies()
            .send()
            .await
            .map_err(|e| crate::aws::error_text(&e))?;
        if found
            .resource_policies()
            .iter()
            .any(|p| p.policy_name() == Some(POLICY_NAME))
        {
            return Ok(false);
        }
        logs.put_resource_policy()
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
        let xray = crate::aws::xray(&self.conf);
        let now = xray
            .get_trace_segment_destination()
            .send()
            .await
            .map_err(|e| crate::aws::error_text(&e))?;
        if now.destination() == Some(&TraceSegmentDestination::CloudWatchLogs) {
            return Ok(false);
        }
        xray.update_trace_segment_destination()
            .destination(TraceSegmentDestination::CloudWatchLogs)
            .send()
            .await
            .map_err(|e| crate::aws::error_text(&e))?;
        Ok(true)
    }
}
