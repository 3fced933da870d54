/// <reference types="@tarojs/taro" />

declare module '*.scss';
declare module '*.css';

declare namespace NodeJS {
  interface ProcessEnv {
    TARO_ENV: 'weapp' | 'h5';
  }
}

/** Build-time constants from config/index.ts. */
declare const API_BASE: string;
declare const DEV_LOGIN: boolean;
declare const WECHAT_DEV_BASE: string;
