//! The execution-role step of a deploy: reuse the configured role, or find or create the
//! agent's own and put its policy on it.

use serde_json::{Value, json};

use crate::cloud::role::{apply_policy, find_or_create, permissions_policy, trust_policy};

impl super::Deploy<'_> {
    /// The execution role's ARN: the configured one, or the agent's own, found or created. A
    /// role agentcore made gets its policy put on every deploy.
    pub(super) async fn role(
        &mut self,
        plan: &super::plan::RolePlan,
        repository: Option<&str>,
    ) -> crate::error::Result<String> {
        if !plan.ours {
            self.steps.push(super::step(
                "reuse",
                "iam-role",
                json!({ "arn": plan.arn, "policy": "yours, left as it is" }),
            ));
            return Ok(plan.arn.clone());
        }
        let perms = permissions_policy(
            &self.account,
            &self.region,
            &self.name,
            repository,
            &self.agent.aws.protocol_configuration.server_protocol,
            self.agent.memory.memory_id.as_deref(),
        );
        let iam = crate::aws::iam(&self.conf);
        self.ensure_role(&iam, &plan.name, &perms).await
    }

    async fn ensure_role(
        &mut self,
        iam: &aws_sdk_iam::Client,
        role_name: &str,
        perms: &Value,
    ) -> crate::error::Result<String> {
        let trust = trust_policy(&self.account, &self.region);
        let found = find_or_create(iam, role_name, &trust, &self.name).await?;
        // On record before the policy goes on: an interruption now still leaves it ours.
        let (arn, ours) = (found.arn.clone(), found.ours);
        self.save(|a| {
            a.aws.execution_role = Some(arn);
            a.aws.execution_role_auto_create = false;
            a.aws.execution_role_was_created_by_toolkit |= ours;
        })?;
        let p = &self.ctx.printer;
        if found.ours {
            apply_policy(iam, role_name, &self.name, perms).await?;
        }
        let what = match (found.created, found.ours) {
            (true, _) => "created",
            (false, true) => "reusing (policy brought up to date)",
            (false, false) => "reusing (not made by agentcore: policy left as it is)",
        };
        p.status(format!("{what} execution role {role_name}"));
        self.steps.push(super::step(
            if found.created { "create" } else { "reuse" },
            "iam-role",
            json!({ "arn": found.arn, "policy_applied": found.ours }),
        ));
        Ok(found.arn)
    }
}
