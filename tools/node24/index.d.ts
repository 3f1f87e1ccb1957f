/** Absolute path of the Node 24 binary. */
declare const node24: string;
export = node24;
