// Imported before @aws-sdk/client-iot (ESM evaluates imports in order): the SDK prints a
// Node-version notice at load unless this is set, and iotops's stderr is for the user.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
export {};
