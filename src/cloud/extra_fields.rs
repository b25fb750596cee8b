//! Request fields the service takes and the Rust SDK in the lock has no type for yet (the
//! `s3BucketMount` filesystem): an interceptor adds them to the operation's JSON body before
//! it is signed, so the signature covers them and nothing else about the call changes.

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextMut;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::config_bag::ConfigBag;
use serde_json::Value;

/// Appends `items` to the array `field` of the request's JSON body (made when missing).
#[derive(Debug)]
pub struct AppendToBody {
    pub field: &'static str,
    pub items: Vec<Value>,
}

impl Intercept for AppendToBody {
    fn name(&self) -> &'static str {
        "AppendToBody"
    }

    fn modify_before_signing(
        &self,
        context: &mut BeforeTransmitInterceptorContextMut<'_>,
        _components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if self.items.is_empty() {
            return Ok(());
        }
        let request = context.request_mut();
        let bytes = request
            .body()
            .bytes()
            .ok_or("the request body is a stream, not JSON")?;
        let body = append(bytes, self.field, &self.items)?;
        request
            .headers_mut()
            .insert("content-length", body.len().to_string());
        *request.body_mut() = SdkBody::from(body);
        Ok(())
    }
}

fn append(body: &[u8], field: &str, items: &[Value]) -> Result<Vec<u8>, BoxError> {
    let mut v: Value = if body.is_empty() {
        Value::Object(Default::default())
    } else {
        serde_json::from_slice(body)?
    };
    let list = v
        .as_object_mut()
        .ok_or("the request body is not a JSON object")?
        .entry(field)
        .or_insert_with(|| Value::Array(vec![]));
    list.as_array_mut()
        .ok_or("the field is not a list")?
        .extend(items.iter().cloned());
    Ok(serde_json::to_vec(&v)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn items_join_the_list_or_start_it() {
        let out = append(
            br#"{"a":1,"fs":[{"sessionStorage":{"mountPath":"/mnt/a"}}]}"#,
            "fs",
            &[json!({"s3BucketMount": {"bucket": "b"}})],
        )
        .unwrap();
        let v: Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["fs"].as_array().unwrap().len(), 2);
        assert_eq!(v["a"], 1);
        let out = append(b"{}", "fs", &[json!(1)]).unwrap();
        assert_eq!(
            serde_json::from_slice::<Value>(&out).unwrap(),
            json!({"fs": [1]})
        );
    }
}
